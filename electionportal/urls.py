from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.access import public_view
from api.v1 import public_urls as public_api_urls
from api.views import TokensView
from elections import views as election_views

from . import errors

urlpatterns = [
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("api/v1/", public_api_urls()),
]

# Django tries the patterns in order. The election's sections come before the generic election and
# portal pages, and voting first: casting a ballot is the busiest request of an election, and this
# way its URL is found after a handful of pattern matches instead of some forty.
urlpatterns += i18n_patterns(
    path("", election_views.HomeView.as_view(), name="home"),
    path("elections/<slug:slug>/voting/", include("ballots.urls")),
    path("elections/<slug:slug>/groups/", include("groups.urls")),
    path("elections/<slug:slug>/meetings/", include("meetings.urls")),
    path("elections/<slug:slug>/polling/", include("polling.urls")),
    path("elections/<slug:slug>/campaign/", include("campaign.urls")),
    path("elections/<slug:slug>/api-tokens/", TokensView.as_view(), name="api_tokens"),
    path("elections/<slug:slug>/candidates/", include("candidates.urls")),
    path("elections/<slug:slug>/voters/", include("voters.urls")),
    path("elections/<slug:slug>/results/", include("protocols.urls")),
    path("elections/", include("elections.urls")),
    path("audit/", election_views.AuditHeadView.as_view(), name="audit_head"),
    path("audit/heads.json", election_views.AuditHeadsJsonView.as_view(), name="audit_heads_json"),
    path("audit/head.json", election_views.AuditSignedHeadView.as_view(), name="audit_signed_head"),
    path(
        "audit/head.json.sig",
        election_views.AuditSignedHeadView.as_view(part="signature"),
        name="audit_signed_head_signature",
    ),
    path("audit/certificate.pem", election_views.AuditCertificateView.as_view(), name="audit_certificate"),
    path("accounts/", include("accounts.urls")),
    path("", include("elections.urls_portal")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

if settings.BENCH_ENDPOINTS:  # only for `make bench` (benchmarks/bench_voting.py, bench_public.py)
    from ballots.bench import bare_cached, bare_insert

    urlpatterns += [path("__bench__/insert/", bare_insert), path("__bench__/cached/", bare_cached)]

if settings.DEBUG:
    # public uploads while developing (private files are never under MEDIA_ROOT)
    media = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    for pattern in media:
        pattern.callback = public_view(pattern.callback)
    urlpatterns += media
