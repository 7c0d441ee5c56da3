"""Contests, ballots and who voted — kept apart so that a ballot can never be linked to a voter.

* ``Participation`` is "who voted": the voter (as an elector key), the channel and the time. One row
  per voter and election, enforced by a unique constraint: one voter, one vote, across channels.
* ``Ballot`` is "what was voted": the contest, the choices, the receipt code and the status. Its
  primary key is a random UUID, it has no timestamp and no reference to a participation, a
  credential or a user, so neither keys nor times re-link the two tables. See docs/secrecy.md.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.models import Election, Translated

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


RECEIPT_BYTES = 12


def new_receipt_code(random: bytes | None = None) -> str:
    """A receipt code from 12 random bytes (``secrets.token_bytes`` unless the caller drew them from
    the operating system's generator), 5 bits each: uniform over the 32-letter alphabet (256 = 8 × 32)."""
    random = secrets.token_bytes(RECEIPT_BYTES) if random is None else random
    if len(random) != RECEIPT_BYTES:
        raise ValueError("a receipt code takes 12 random bytes")
    raw = "".join(RECEIPT_ALPHABET[b % 32] for b in random)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


#: Cyrillic letters that look like the Latin ones of the alphabet (a voter in a Russian keyboard
#: layout types these for a code printed in Latin letters)
CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНРСТХУ", "ABEKMHPCTXY")


def parse_receipt_code(text: str) -> str | None:
    """The receipt code ``text`` stands for, in its canonical ``XXXX-XXXX-XXXX`` form, or None.

    Case, spaces, dashes and other separators are ignored, and Cyrillic look-alike letters are read
    as the Latin ones; the letters O and I and the digits 0 and 1 are never in a code (they are
    not guessed, because 0 may be O or D)."""
    raw = "".join(ch for ch in (text or "").upper().translate(CYRILLIC_LOOKALIKES) if ch.isalnum())
    if len(raw) != 12 or any(ch not in RECEIPT_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def new_option_code() -> str:
    return secrets.token_hex(4)


class Method(models.TextChoices):
    PLURALITY = "plurality", _("Plurality")
    APPROVAL = "approval", _("Approval")
    IRV = "irv", _("Instant-runoff (ranking)")
    STV_SCOTTISH = "stv-scottish", _("STV, Scottish rules (ranking)")
    STV_MEEK = "stv-meek", _("STV, Meek (ranking)")
    HARE = "hare", _("Party lists, Hare quota and largest remainders")
    DHONDT = "dhondt", _("Party lists, D'Hondt")
    SAINTE_LAGUE = "sainte-lague", _("Party lists, Sainte-Laguë")


class TieRule(models.TextChoices):
    """Who settles a tie that decides a seat or a place (issue 15: never a lot nobody saw).

    Every rule ends with people: the count stops at a tie that the rule cannot settle by the
    votes, and the commission records its decision (a new vote, or a lot drawn in its session)."""

    COMMISSION = "commission", _("The commission decides in its session (a new vote or a lot it draws)")
    LOT = "lot", _("A lot drawn by the commission in its session, before members and observers")
    BACKWARDS = (
        "backwards",
        _("The votes at the most recent earlier stage where they differed; if equal, the commission decides"),
    )
    FORWARDS = (
        "forwards",
        _("The votes at the first stage where they differed; if equal, the commission decides"),
    )


RANKED_METHODS = {Method.IRV, Method.STV_SCOTTISH, Method.STV_MEEK}
LIST_METHODS = {Method.HARE, Method.DHONDT, Method.SAINTE_LAGUE}
#: the methods whose count names alternates (the next places after the elected)
ALTERNATE_METHODS = {Method.PLURALITY, Method.APPROVAL}


class Contest(models.Model):
    """What one ballot paper decides: the seats of a group (seed 000) or a council (seed 003)."""

    class Order(models.TextChoices):
        ALPHABETICAL = "alphabetical", _("Alphabetical")
        RANDOM = "random", _("Random order for each voter")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    group = models.ForeignKey(
        "groups.ElectoralGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("electoral group"),
    )
    unit = models.ForeignKey(
        "groups.TerritorialUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("electoral district"),
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=300, blank=True)
    method = models.CharField(
        _("counting method"), max_length=16, choices=Method.choices, default=Method.PLURALITY
    )
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    alternates = models.PositiveSmallIntegerField(_("alternates"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("marks allowed"), default=1, help_text=_("For plurality: how many options a voter may mark.")
    )
    threshold_percent = models.DecimalField(
        _("threshold, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For party lists: the share of votes a list needs to take part in the seats, 0 to 100."),
    )
    threshold_base = models.CharField(
        _("threshold base"),
        max_length=16,
        choices=[
            ("participants", _("everybody who took part")),
            ("valid", _("valid ballots")),
            ("list", _("list votes")),
        ],
        default="valid",
    )
    option_order = models.CharField(
        _("order on the ballot"), max_length=16, choices=Order.choices, default=Order.ALPHABETICAL
    )
    tie_rule = models.CharField(
        _("how a tie is settled"),
        max_length=16,
        choices=TieRule.choices,
        default=TieRule.COMMISSION,
        help_text=_(
            "The rule of the group's regulations or of the law for a tie that decides a seat or a place. "
            "The portal never draws a lot itself: the commission records its decision and who was present."
        ),
    )
    has_against_all = models.BooleanField(_("“against all” option"), default=False)
    allows_blank = models.BooleanField(_("a blank ballot may be cast"), default=True)
    locked_at = models.DateTimeField(
        _("locked at"),
        null=True,
        blank=True,
        help_text=_("Set when voting opens; the ballot cannot change afterwards."),
    )

    title = Translated("title")

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "title_ru"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, unit__isnull=True)
                | Q(group__isnull=True, unit__isnull=False),
                name="contest_for_a_group_or_a_unit",
                violation_error_message=_(
                    "Choose either an electoral group or a territorial unit for the contest."
                ),
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="contest_at_least_one_seat"),
            models.CheckConstraint(
                condition=Q(threshold_percent__isnull=True)
                | Q(threshold_percent__gte=0, threshold_percent__lte=100),
                name="contest_threshold_is_a_percentage",
            ),
            models.UniqueConstraint(
                fields=["election", "group"],
                condition=Q(group__isnull=False),
                name="one_contest_per_group",
                violation_error_message=_("This group already has a contest in this election."),
            ),
            models.UniqueConstraint(
                fields=["election", "unit"],
                condition=Q(unit__isnull=False),
                name="one_contest_per_unit",
                violation_error_message=_("This territorial unit already has a contest in this election."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """Only possible parameters (issue 15): at least one seat, a threshold of 0–100 % for party
        lists only, alternates only where the method names them, marks only for plurality; a
        group's ballot follows the group's decision rule and seats."""
        errors = {}
        if (self.group_id is None) == (self.unit_id is None):
            errors["group"] = _("Choose either an electoral group or an electoral district, not both.")
        if self.seats is not None and self.seats < 1:
            errors["seats"] = _("A ballot fills at least one seat.")
        if self.threshold_percent is not None:
            if not self.is_list:
                errors["threshold_percent"] = _("A threshold applies to party lists only; leave it empty.")
            elif not 0 <= self.threshold_percent <= 100:
                errors["threshold_percent"] = _("A threshold is a percentage from 0 to 100.")
        if self.alternates and self.method not in ALTERNATE_METHODS:
            errors["alternates"] = _(
                "Alternates are named by plurality or approval voting only: the next ones after the "
                "elected. With this method set 0."
            )
        if self.max_choices is not None and self.max_choices < 1:
            errors["max_choices"] = _("A voter may mark at least one option.")
        elif self.max_choices and self.max_choices > 1 and self.method != Method.PLURALITY:
            errors["max_choices"] = _("The number of marks applies to plurality voting only; leave it at 1.")
        if self.group_id is not None and "group" not in errors:
            group = self.group
            expected = {
                "method": group.decision_rule,
                "seats": group.seats_members,
                "alternates": group.seats_alternates,
            }
            for name, value in expected.items():
                if getattr(self, name) != value:
                    errors.setdefault(
                        name,
                        _(
                            "A group's ballot follows the group's decision rule and seats (%(rule)s; "
                            "members: %(members)s, alternates: %(alternates)s). Change them on the "
                            "group's page."
                        )
                        % {
                            "rule": group.get_decision_rule_display(),
                            "members": group.seats_members,
                            "alternates": group.seats_alternates,
                        },
                    )
        if errors:
            raise ValidationError(errors)

    def follow_group(self) -> None:
        """Take the method, seats and alternates from the contest's group (the one source)."""
        if self.group_id is not None:
            self.method = self.group.decision_rule
            self.seats = self.group.seats_members
            self.alternates = self.group.seats_alternates

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.group_id)

    @property
    def method_label(self) -> str:
        """The counting method as voters and observers read it, with the number of marks a
        plurality ballot allows ("choose up to 3")."""
        if self.method == Method.PLURALITY and self.max_choices:
            return gettext("Plurality (choose up to %(n)s)") % {"n": self.max_choices}
        return self.get_method_display()

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED_METHODS

    @property
    def is_list(self) -> bool:
        return self.method in LIST_METHODS

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ContestOption(models.Model):
    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("candidate")
        PARTY_LIST = "party_list", _("party list")
        AGAINST_ALL = "against_all", _("against all")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=16, default=new_option_code, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    application = models.ForeignKey(
        "candidates.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot_options",
    )
    party_list = models.ForeignKey(
        "candidates.PartyList", on_delete=models.PROTECT, null=True, blank=True, related_name="ballot_options"
    )
    label_ru = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300, blank=True)
    label_kk = models.CharField(max_length=300, blank=True)
    label_ky = models.CharField(max_length=300, blank=True)
    detail_ru = models.CharField(max_length=500, blank=True)
    detail_en = models.CharField(max_length=500, blank=True)
    detail_kk = models.CharField(max_length=500, blank=True)
    detail_ky = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    left_race = models.BooleanField(
        _("left the race after the ballot was approved"),
        default=False,
        help_text=_("Stays on the ballot; marked in the results."),
    )

    label = Translated("label")
    detail = Translated("detail")

    class Meta:
        verbose_name = _("ballot option")
        verbose_name_plural = _("ballot options")
        ordering = ["contest", "position"]
        constraints = [models.UniqueConstraint(fields=["contest", "code"], name="unique_option_code")]

    def __str__(self):
        return self.label


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    ASSEMBLY = "assembly", _("at the assembly")
    PAPER = "paper", _("paper ballot")
    EMAIL = "email", _("ballot sent by e-mail")


class Participation(models.Model):
    """Who voted: one row per voter and election (the unique constraint is the one-vote rule)."""

    # No separate indexes on the two keys: the unique (election, elector) and the (contest, channel)
    # index serve those lookups, and every vote would write two more index entries.
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="participations", db_index=False
    )
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="participations", db_index=False
    )
    elector = models.CharField(max_length=64, help_text="registration:<id> or entry:<id>")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # a partial index below: online votes (no recorder) write no entry
    )
    audited_in = models.BigIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="number of the audit entry whose digest covers this row",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["election", "elector"], name="one_vote_per_voter_per_election")
        ]
        indexes = [
            models.Index(fields=["contest", "channel"]),
            models.Index(
                fields=["recorded_by"],
                condition=models.Q(recorded_by__isnull=False),
                name="participation_recorded_by",
            ),
        ]

    def __str__(self):
        return f"{self.elector} ({self.channel})"


class Ballot(models.Model):
    """What was voted. No timestamp, no link to the voter; the id is random."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        INVALID = "invalid", _("invalid")
        LATE = "late", _("late")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # indexed by (contest, status) below; no second index on the key alone
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="ballots", db_index=False)
    choices = models.JSONField(
        default=list, blank=True, help_text="option codes; in preference order when ranked"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VALID)
    invalid_reason = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    receipt = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["contest", "status"])]
        # A constraint rather than unique=True: receipts are looked up by equality only, so no
        # second (LIKE) index is written with every ballot.
        constraints = [models.UniqueConstraint(fields=["receipt"], name="unique_ballot_receipt")]

    def __str__(self):
        return f"{self.contest_id}: {self.receipt or self.pk}"


class PendingBallot(models.Model):
    """An online ballot between its cast and the next mix (docs/secrecy.md): the cast transaction
    writes the participation and this row; the mix (``ballots.mixing``) moves waiting ballots into
    ``Ballot`` in a random order, many in one transaction, and deletes them here, so that no
    transaction id, physical position or time links a ballot row to a participation.

    The content (choices and receipt) is sealed (AES-GCM under a key derived from ``SECRET_KEY``,
    ``ballots.sealing``): whoever reads the database without the key sees only that a ballot of
    the contest is waiting — which the participation says anyway. The key is random (no sequence),
    there is no time, and no index but the key: the table holds a few dozen rows at a time.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="+", db_index=False)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("ballot waiting to be mixed")
        verbose_name_plural = _("ballots waiting to be mixed")

    def __str__(self):
        return f"{self.contest_id}: {self.pk}"


class LateAttempt(models.Model):
    """An online ballot refused because voting had closed (counted in the protocol)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="late_attempts")
    attempted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("late attempt")
        verbose_name_plural = _("late attempts")

    def __str__(self):
        return f"{self.contest} {self.attempted_at:%Y-%m-%d %H:%M}"


class PaperTally(models.Model):
    """Paper, assembly or e-mailed ballots entered by the counting commission as batch totals.

    With double entry (four-eyes) two members enter the same batch independently; the batch
    counts once both entries match. ``counts`` maps option codes to votes; ``blank``, ``invalid``
    (with reasons) and ``late`` are counted apart.
    """

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="paper_tallies")
    batch = models.CharField(_("batch"), max_length=64, help_text=_("e.g. the box or envelope number"))
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PAPER)
    #: the assembly of voters the ballots were cast at (seed 000 item 20)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paper_tallies",
        verbose_name=_("assembly of voters"),
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)
    blank = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    invalid_reasons = models.CharField(max_length=500, blank=True)
    late = models.PositiveIntegerField(default=0)
    #: set when the chair ordered a recount of the batch: the entry is kept for the record and no
    #: longer counts; a new pair (or a new single entry) is entered after the recount
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "batch", "entered_by"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_entry_per_member_per_batch",
            )
        ]

    def __str__(self):
        return f"{self.contest} / {self.batch}"

    def totals(self) -> dict:
        return {
            "counts": dict(sorted(self.counts.items())),
            "blank": self.blank,
            "invalid": self.invalid,
            "late": self.late,
        }


class VotingSettings(models.Model):
    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="voting_settings")
    double_entry = models.BooleanField(
        _("double entry of paper ballots"),
        default=True,
        help_text=_("Two members enter each batch independently; it counts once both entries match."),
    )
    reminder_times = models.JSONField(
        _("reminders to voters who have not voted"),
        default=list,
        blank=True,
        help_text=_("Instants (ISO 8601) at which reminders go to voters who have not voted yet."),
    )

    class Meta:
        verbose_name = _("voting settings")

    def __str__(self):
        return str(self.election)


class VoterReminderRun(models.Model):
    """A reminder time already handled for an election (so a beat rerun sends nothing twice)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    scheduled_for = models.CharField(max_length=40)
    ran_at = models.DateTimeField(default=timezone.now)
    #: reminders queued by this run (how many the mail server took is read from the outbox)
    queued = models.PositiveIntegerField(default=0)
    #: the voters app's reminder round it started
    round = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "scheduled_for"], name="one_run_per_reminder_time")
        ]

    def __str__(self):
        return f"{self.election} {self.scheduled_for}"


class BallotText(models.Model):
    """One approved version of a contest's ballot text (seed 003 item 39: the TEC approves it not
    later than 15 days before voting). ``content`` is what the ballot shows, as approved; its
    SHA-256 is printed on the proof. While the current version stands the contest cannot change;
    a change needs the commission's decision to reopen it, and the next approval is version 2."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="texts")
    version = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("text of the ballot"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    decision = models.ForeignKey(
        "elections.Decision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by decision"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_decision = models.ForeignKey(
        "elections.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by decision"),
    )

    class Meta:
        verbose_name = _("approved ballot text")
        verbose_name_plural = _("approved ballot texts")
        ordering = ["contest", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "version"], name="one_ballot_text_version"),
            models.UniqueConstraint(
                fields=["contest"], condition=Q(reopened_at__isnull=True), name="one_standing_ballot_text"
            ),
        ]

    def __str__(self):
        return f"{self.contest} — v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.reopened_at is None
