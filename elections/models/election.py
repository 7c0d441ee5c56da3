"""The election, its lifecycle state, and the tamper-evident audit log."""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value}) from None


#: the languages content is entered in besides Russian, the one every text has (``<field>_<lang>``)
CONTENT_LANGUAGES = ("kk", "ky", "en")


class Translated:
    """``obj.title`` returns the text in the active language (``title_kk``, ``title_ky``,
    ``title_en``) when it is filled, else the Russian one (``title_ru``): Russian is the fallback."""

    def __init__(self, base):
        self.base = base

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        language = (get_language() or "ru")[:2]
        if language in CONTENT_LANGUAGES:
            value = getattr(obj, f"{self.base}_{language}", "")
            if value:
                return value
        return getattr(obj, f"{self.base}_ru")


def default_official_languages() -> list[str]:
    return ["ru"]


class Election(models.Model):
    class Kind(models.TextChoices):
        CCM_NGO = "ccm_ngo", _("CCM NGO-sector elections (members and alternates)")
        LOCAL_COUNCIL = "local_council", _("Local council elections")
        OTHER = "other", _("Other election")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANNOUNCED = "announced", _("Announced")
        REGISTRATION = "registration", _("Registration")
        VOTING = "voting", _("Voting")
        COUNTING = "counting", _("Counting")
        CERTIFIED = "certified", _("Results certified")
        PUBLISHED = "published", _("Results published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(
        _("short name"),
        max_length=64,
        unique=True,
        help_text=_("Latin letters, digits and hyphens; used in addresses, e.g. ccm-kz-2024."),
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=300, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ky = models.TextField(_("description (Kyrgyz)"), blank=True)
    kind = models.CharField(_("kind of election"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    default_language = models.CharField(
        _("language of the election"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ru",
        help_text=_(
            "The language of mails and invitations to voters who did not choose one (e.g. "
            "registrations collected on paper); everyone else gets the language they chose."
        ),
    )
    official_languages = models.JSONField(
        _("languages of the official copies"),
        default=default_official_languages,
        blank=True,
        help_text=_(
            "Protocols, certificates, credentials, minutes and notices are issued in each of these "
            "languages, e.g. the state language beside Russian."
        ),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_ELECTION_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_(
            "Deadlines and times of this election are shown and entered in this zone, e.g. Asia/Almaty."
        ),
    )
    voting_day = models.DateField(_("voting day"), null=True, blank=True)
    voting_starts_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_ends_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    state = models.CharField(
        _("stage"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False
    )
    state_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    title = Translated("title")
    description = Translated("description")

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_day", "slug"]

    def __str__(self):
        return self.title

    @property
    def copy_languages(self) -> list[str]:
        """The languages documents are rendered in: the official copies', then English (a
        translation for international observers and partners)."""
        languages = self.document_languages
        return languages if "en" in languages else [*languages, "en"]

    @property
    def document_languages(self) -> list[str]:
        """The languages of the official copies, in the portal's order, Russian always among them
        (the official language of both seeds)."""
        chosen = set(self.official_languages or []) | {"ru"}
        return [code for code, _name in settings.LANGUAGES if code in chosen]

    def permission_scope(self):

        return Scope(election_id=self.pk)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.state != self.State.DRAFT

    def local(self, value: datetime | None) -> datetime | None:
        """An aware instant shown in the election's own time zone."""
        return value.astimezone(self.tz) if value else None

    def clean(self):
        if self.voting_starts_at and self.voting_ends_at and self.voting_ends_at <= self.voting_starts_at:
            raise ValidationError({"voting_ends_at": _("Voting must close after it opens.")})


action_validator = RegexValidator(
    r"^[a-z_]+(\.[a-z_]+){2,}$", _("An action name is dotted, e.g. elections.election.created.")
)


class AuditEntry(models.Model):
    """One append-only entry of the audit log.

    ``hash`` = SHA-256 over ``prev_hash`` followed by the entry's canonical JSON (see
    ``elections.audit``). Entries are never updated or deleted by the portal.
    """

    seq = models.BigIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=128, validators=[action_validator])
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    election = models.ForeignKey(
        Election,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("election"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]
        indexes = [models.Index(fields=["election", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit entries are append-only.")


class AuditHead(models.Model):
    """The last entry's number and hash; appending locks this single row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit head")

    def __str__(self):
        return f"#{self.seq} {self.hash}"
