"""Settings of Election Portal, read from the environment (django-environ).

With nothing configured the portal runs embedded: SQLite under ``var/``, Celery tasks executed
eagerly in the calling process, a local-memory cache and e-mail printed to the console.
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` to Redis as Celery broker, result backend
and cache. Every variable is documented in ``.env.example``.
"""

import datetime as dt
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer's .env is read when present; real environment variables always win.
_env_file = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG-mode"  # noqa: S105
# Rotating the secret: put the old one here for a while, so that sessions, open ballot pages (their
# cast tokens) and receipt cookies signed with it stay valid.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in mails point here. `make run HOST=… PORT=…` passes RUN_SITE_URL (http://HOST:PORT) so the
# links follow the port that serves; SITE_URL set in the environment or .env always wins.
SITE_URL = env.str("SITE_URL", default=env.str("RUN_SITE_URL", default="http://127.0.0.1:8000")).rstrip("/")

INSTALLED_APPS = [
    "electionportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",  # lockout after repeated failed logins (see AXES_* below)
    "django_otp",  # two-step login (see OTP_* below)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",  # Content-Security-Policy (see CONTENT_SECURITY_POLICY below)
    "corsheaders",  # CORS for the public API's GETs only (see CORS_* below)
    "ninja",  # the API's browsable docs use the package's own Swagger UI files (no CDN)
    # the domain, dependencies pointing one way (see README "Architecture")
    "accounts",
    "elections",
    "groups",
    "meetings",
    "voters",
    "candidates",
    "ballots",
    "polling",
    "campaign",
    "protocols",
    "api",
    "demo",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # the public API answers GETs from any origin
    "api.middleware.ApiConditionalGetMiddleware",  # ETag / 304 for /api/
    "django.middleware.security.SecurityMiddleware",
    "accounts.middleware.ContentSecurityPolicyMiddleware",  # django-csp, on every response
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "elections.public_cache.PublicPageCacheMiddleware",  # public pages from the shared cache (issue 23)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "electionportal.errors.DatabaseUnavailableMiddleware",  # a database outage: 503 + Retry-After
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the code
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",  # OTP_REQUIRED_FOR_STAFF
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out login with the lockout page
    "elections.replica.ReplicaReadMiddleware",  # public reads from the replica, when there is one
]

# The public API (/api/v1/, issue 21): read-only for any origin; rate limited per client address
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
API_RATE = env("API_RATE", default="120/m")

# Repeated failed logins (issue 16): django-axes counts failures per account and per address; after
# LOGIN_FAILURE_LIMIT of either, logins from it are refused for LOGIN_COOLOFF_MINUTES (also with
# the right password), with a plain page; a success resets the count. The secretariat unlocks in
# Administration → Users (action "Unlock after failed logins"), or `manage.py axes_reset_username EMAIL`.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (the user model logs in by e-mail)
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False

# Two-step login (issue 16; accounts/two_factor.py): the secretariat and commission chairs may add a
# code from an authenticator app (TOTP) after the password, with ten single-use backup codes for a
# lost phone; a wrong code counts as a failed login above. OTP_REQUIRED_FOR_STAFF (default off)
# makes it compulsory for them: they are sent to set it up before any other page.
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Election Portal")  # the name shown in the app

# Password-reset requests per hour, per client address and per e-mail; beyond them the form says
# so and sends nothing (accounts.views.password_reset_throttled).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)

ROOT_URLCONF = "electionportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "electionportal.wsgi.application"

# Signing of protocol PDFs (elections/signing.py); `manage.py make_signing_key` creates a demo pair.
# Relative paths are resolved from BASE_DIR, hence env.str and not env.path.
PROTOCOL_SIGNING_KEY_FILE = env.str("PROTOCOL_SIGNING_KEY_FILE", default=str(VAR_DIR / "signing" / "key.pem"))
PROTOCOL_SIGNING_CERT_FILE = env.str(
    "PROTOCOL_SIGNING_CERT_FILE", default=str(VAR_DIR / "signing" / "cert.pem")
)
PROTOCOL_SIGNING_KEY_PASSPHRASE = env.str("PROTOCOL_SIGNING_KEY_PASSPHRASE", default="")

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A PostgreSQL streaming replica for the public pages and the read API (elections/replica.py)
    DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
    if DATABASE_REPLICA_URL:
        DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
        DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
        DATABASE_ROUTERS = ["elections.replica.PublicReadRouter"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # IMMEDIATE makes writers queue instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite cannot enforce "NULLS NOT DISTINCT" unique constraints; PostgreSQL does, and the
# services check for duplicates before inserting on both.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# --- Redis: Celery broker, result backend and cache -----------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
# Without a broker the tasks run eagerly in the calling process and their errors propagate.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The audit log's head is published (and signed) this often when it moved; a truncation of the
# log's end is noticed by verify_audit only back to the last published head.
AUDIT_HEAD_PUBLISH_MINUTES = env.int("AUDIT_HEAD_PUBLISH_MINUTES", default=15)
# A request never waits long on a broker that is down (issue 16): connecting gives up after
# BROKER_TIMEOUT_SECONDS, publishing retries briefly, and the result backend does not retry for
# 20 s. What must not be lost is recorded in the outbox first (elections/outbox.py), so a failed
# publish only delays it until the minute's beat run. Workers reconnect without a limit.
BROKER_TIMEOUT_SECONDS = env.float("BROKER_TIMEOUT_SECONDS", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": max(10.0, BROKER_TIMEOUT_SECONDS),
    "retry_on_timeout": False,
    # kombu's connection retries when a channel is first needed (2 s apart by default)
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
_short_retry = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_TASK_PUBLISH_RETRY_POLICY = _short_retry
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _short_retry}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = max(10.0, BROKER_TIMEOUT_SECONDS)
# the beat run of the outbox (a kick after each commit sends sooner; this catches what a broker
# outage dropped)
OUTBOX_DRAIN_EVERY_SECONDS = env.int("OUTBOX_DRAIN_EVERY_SECONDS", default=60)
CELERY_BEAT_SCHEDULE: dict = {
    "outbox-every-minute": {"task": "elections.outbox_drain", "schedule": OUTBOX_DRAIN_EVERY_SECONDS},
    "requeue-stalled-imports": {"task": "voters.requeue_stalled_imports", "schedule": 5 * 60},
    "verify-audit-chain-nightly": {"task": "elections.verify_audit_chain", "schedule": 24 * 60 * 60},
    "publish-audit-head": {
        "task": "elections.publish_audit_head",
        "schedule": AUDIT_HEAD_PUBLISH_MINUTES * 60,
    },
    "calendar-reminders-hourly": {"task": "elections.send_calendar_reminders", "schedule": 60 * 60},
    "meeting-reminders-hourly": {"task": "meetings.send_meeting_reminders", "schedule": 60 * 60},
    "voter-reminders": {"task": "ballots.send_voter_reminders", "schedule": 10 * 60},
    "participation-audit": {"task": "ballots.audit_participations", "schedule": 60},
    "ballot-mix": {"task": "ballots.mix_ballots", "schedule": 60},
    "vote-confirmations": {"task": "ballots.send_pending_vote_confirmations", "schedule": 60},
    "candidate-decision-reminders-hourly": {
        "task": "candidates.send_decision_reminders",
        "schedule": 60 * 60,
    },
    "personal-data-purge-daily": {"task": "protocols.purge_due_personal_data", "schedule": 24 * 60 * 60},
    "stale-imports": {"task": "voters.recover_stale_imports", "schedule": 10 * 60},
    "stale-file-imports": {"task": "groups.recover_stale_file_imports", "schedule": 10 * 60},
}

# --- Voting -------------------------------------------------------------------------------
# Online ballots wait (sealed) until at least this many of a contest can be mixed together into
# the ballot table in random order, or voting closes (docs/secrecy.md): the smallest group of
# voters among whom a ballot's batch cannot tell who cast it.
BALLOT_MIX_BATCH = env.int("BALLOT_MIX_BATCH", default=20)
if BALLOT_MIX_BATCH < 2:
    raise ImproperlyConfigured("BALLOT_MIX_BATCH must be at least 2 (see docs/secrecy.md).")

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "ru"
#: Russian first (the official language of both seeds), the state languages of Kazakhstan and
#: Kyrgyzstan, English. ``locale/`` holds the portal's catalogues (``makemessages`` writes there);
#: ``locale_django/`` completes Django's own catalogues where Django leaves strings untranslated
#: (Kazakh: form errors, sign-in, password rules, the admin pages the secretariat uses).
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("ky", _("Kyrgyz")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
#: dates and numbers as Kazakh and Kyrgyz write them (``electionportal/formats/<lang>/formats.py``)
FORMAT_MODULE_PATH = ["electionportal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored instants are UTC; each election displays in its own zone
DEFAULT_ELECTION_TIME_ZONE = env.str("DEFAULT_ELECTION_TIME_ZONE", default="Asia/Almaty")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded documents with personal data (observer applications, nominations, …) are kept here and
# served only by views that check access, never from MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
# a mail server that does not answer fails the attempt (retried later) instead of hanging a worker
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# where django.core.mail.backends.filebased.EmailBackend writes (one file per connection)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
# The outbox (elections/outbox.py): a failed mail is retried after OUTBOX_RETRY_SECONDS, doubling
# up to OUTBOX_RETRY_MAX_SECONDS; one run sends for at most OUTBOX_DRAIN_SECONDS; at most
# OUTBOX_MAILS_PER_MINUTE per worker process (0 = as fast as the mail server takes them).
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_DRAIN_SECONDS = env.int("OUTBOX_DRAIN_SECONDS", default=50)
OUTBOX_MAILS_PER_MINUTE = env.int("OUTBOX_MAILS_PER_MINUTE", default=0)
# a mail being handed to the mail server is claimed for this long; if its worker dies meanwhile
# it is sent again afterwards (the one at-least-once case)
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=600)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Election Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
_secure_default = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_secure_default)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_secure_default)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_secure_default)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _secure_default else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_secure_default)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_secure_default)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4) on every response: scripts and styles only from the
# portal's own static files — no inline <script>, no on…= handlers, no style="" attributes (the
# few computed sizes are data-* attributes that static/js/portal.js applies). Images may be data:
# URIs (Bootstrap's CSS draws its icons with them). PDFs get a policy of their own
# (accounts.middleware). CSP_REPORT_URI adds a report-uri for violation reports.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = env.str("CSP_REPORT_URI")
# Permissions-Policy (django-permissions-policy): the portal uses none of these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- Voters -------------------------------------------------------------------------------
VOTER_INVITATION_BATCH = env.int("VOTER_INVITATION_BATCH", default=100)
VOTER_LOOKUP_RATE = env.int("VOTER_LOOKUP_RATE", default=20)  # lookups of one's entry per minute per address
VOTER_FORM_RATE = env.int("VOTER_FORM_RATE", default=10)  # registration and Form 3 submissions per minute

# --- Imports (issue 16: uploads that always end; elections/textfiles.py) --------------------
# Size limits (MB) checked before a file is read; the longest line (characters) any import reads;
# minutes after which an import still "being checked"/"being imported" has lost its task.
IMPORT_REGISTER_MAX_MB = env.int("IMPORT_REGISTER_MAX_MB", default=1024)
IMPORT_UNITS_MAX_MB = env.int("IMPORT_UNITS_MAX_MB", default=5)
IMPORT_PRELIMINARY_MAX_MB = env.int("IMPORT_PRELIMINARY_MAX_MB", default=10)
IMPORT_TEMPLATE_MAX_MB = env.int("IMPORT_TEMPLATE_MAX_MB", default=2)
IMPORT_MAX_LINE_LENGTH = env.int("IMPORT_MAX_LINE_LENGTH", default=20_000)
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=60)
# A database outage (a restart, a failover) answers 503 with this Retry-After (seconds).
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=30)

# --- Retention of personal data (docs/retention.md) ------------------------------------------
# Days after an election reaches the stage "Archived" (with an archive of the election or of every
# group) before its personal data no longer needed is purged; 0 = at the next daily run.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=30)

# --- Benchmarks ---------------------------------------------------------------------------
# `make bench` starts gunicorn with this on, to compare casting a vote with a bare insert view.
# Public pages of an election (results, turnout, candidates, board, open data) served from the
# shared cache to visitors without a session (elections/public_cache.py): a page is refreshed at
# most PUBLIC_PAGE_REFRESH seconds (plus one render) after a change of the election, and at the
# latest PUBLIC_PAGE_MAX_AGE seconds after its snapshot. Without Redis each process has its own
# cache: a change reaches the other processes' snapshots within PUBLIC_PAGE_MAX_AGE.
# With a replica: public reads go to it only when it has replayed the election's last change and is
# at most this many seconds behind the primary (elections/replica.py)
REPLICA_MAX_LAG = env.float("REPLICA_MAX_LAG", default=5.0)
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=True)
PUBLIC_PAGE_REFRESH = env.float("PUBLIC_PAGE_REFRESH", default=5.0)
PUBLIC_PAGE_MAX_AGE = env.float("PUBLIC_PAGE_MAX_AGE", default=60.0)
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# --- Logging --------------------------------------------------------------------------------
# Voting tokens in invitation and ballot links are redacted from every log line (runserver's
# request log included; gunicorn's access log through electionportal/gunicorn_conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "electionportal.logredact.RedactTokens"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (an unfiltered console in DEBUG, mail to ADMINS, which is not
        # set) are replaced: its records go to the root's filtered console.
        "django": {"handlers": [], "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
