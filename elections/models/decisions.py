"""A body's decision on a request — the one act both seeds are run by.

A request (a candidate's application, a voter's registration, an observer's application, a group's
nomination to the organising committee, a Form 3 correction, and — with the meetings to come — a
complaint, a protocol's return, a tie) is decided by a *body*: a commission of the election or its
secretariat. The decision records who decided, how (a vote of the members present, with the quorum,
or the official the body authorised), the outcome, the reasons the requester reads, the deadline the
calendar plan gave, and — once adopted — the body's next number for the year (№ 3 of 2026).

The request models keep their own status and point at the decision that set it (``decision``); all
decisions on a request, adopted or not, are ``Decision.objects.filter(subject=…)`` through the
generic ``subject``. Written only by ``elections.services.decisions.decision_take``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .election import Election, Translated


class Decision(models.Model):
    class Kind(models.TextChoices):
        # the values are the calendar plans' case kinds, so the deadline of a request is found in
        # the plan (``elections.selectors.case_due``)
        CANDIDATE_APPLICATION = "candidate_application", _("Registration of a candidate")
        CANDIDATE_CANCELLATION = "candidate_cancellation", _("Cancellation of a candidate's registration")
        VOTER_REGISTRATION = "voter_registration", _("Registration of a voter")
        OBSERVER_APPLICATION = "observer_application", _("Accreditation of an observer")
        ORG_COMMITTEE_NOMINATION = "org_committee_nomination", _("Representative in the organising committee")
        VOTER_CORRECTION = "voter_correction_request", _("Correction of the voter list (Form 3)")
        COMPLAINT = "complaint", _("Complaint")
        PROTOCOL_RETURN = "protocol_return", _("Return of a protocol")
        TIE = "tie", _("Drawing of lots in a tie")
        BALLOT_APPROVAL = "ballot_approval", _("Approval of the ballot text")
        BALLOT_REOPEN = "ballot_reopen", _("Reopening of the approved ballot text for a change")
        REPRESENTATIVE = "representative_registration", _("Registration of an authorised representative")
        PROXY = "proxy_application", _("Registration of a proxy")
        CAMPAIGN_FUND = "campaign_fund", _("Decision on a contribution to an election fund")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")
        PARTLY = "partly", _("Partly granted")
        NOT_CONSIDERED = "not_considered", _("Left without consideration")

    class Method(models.TextChoices):
        VOTE = "vote", _("By a vote of the members present")
        OFFICIAL = "official", _("By the official the body authorised")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("election")
    )
    kind = models.CharField(_("kind of request"), max_length=32, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    # the deciding body: a commission of the election, or (no body) its secretariat
    body_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    body_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    body = GenericForeignKey("body_type", "body_id")
    body_key = models.CharField(max_length=64, editable=False)
    body_name_ru = models.CharField(_("decided by (Russian)"), max_length=300)
    body_name_en = models.CharField(_("decided by (English)"), max_length=300, blank=True)
    body_name_kk = models.CharField(_("decided by (Kazakh)"), max_length=300, blank=True)
    body_name_ky = models.CharField(_("decided by (Kyrgyz)"), max_length=300, blank=True)
    body_name = Translated("body_name")
    # what was decided on
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", editable=False)
    subject_id = models.PositiveBigIntegerField(editable=False)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("request"), max_length=300)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    decided_at = models.DateTimeField(_("date of the decision"))
    due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    method = models.CharField(_("taken"), max_length=16, choices=Method.choices)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"), default=0)
    members_total = models.PositiveSmallIntegerField(_("members of the body"), default=0)
    quorum = models.PositiveSmallIntegerField(_("quorum"), default=0)
    is_adopted = models.BooleanField(_("adopted"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["election", "body_key", "year", "number", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "body_key", "year", "number"],
                name="decision_numbers_unique_per_body_and_year",
            ),
            models.CheckConstraint(
                condition=models.Q(is_adopted=False, number__isnull=True)
                | models.Q(is_adopted=True, number__isnull=False),
                name="adopted_decisions_have_a_number",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="decision_subject_idx")]

    def __str__(self):
        if self.number:
            return f"№ {self.number} — {self.title}"
        return str(self.title)

    def permission_scope(self):
        subject = self.subject
        return subject.permission_scope() if subject is not None else self.election.permission_scope()

    @property
    def title(self) -> str:
        """What the decision says, as a heading: "Registration of a candidate", "Refusal of …"."""
        return str(TITLES.get((self.kind, self.outcome), self.get_kind_display()))

    @property
    def votes_cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstained

    @property
    def by_vote(self) -> bool:
        return self.method == self.Method.VOTE


K, OUT = Decision.Kind, Decision.Outcome
#: the heading of a decision by its request and outcome
TITLES = {
    (K.CANDIDATE_APPLICATION, OUT.GRANTED): _("Registration of the candidate"),
    (K.CANDIDATE_APPLICATION, OUT.REFUSED): _("Refusal of registration"),
    (K.CANDIDATE_CANCELLATION, OUT.GRANTED): _("Cancellation of the registration"),
    (K.VOTER_REGISTRATION, OUT.GRANTED): _("Registration of the voter"),
    (K.VOTER_REGISTRATION, OUT.REFUSED): _("Refusal to register the voter"),
    (K.OBSERVER_APPLICATION, OUT.GRANTED): _("Accreditation of the observer"),
    (K.OBSERVER_APPLICATION, OUT.REFUSED): _("Refusal of accreditation"),
    (K.OBSERVER_APPLICATION, OUT.REVOKED): _("Revocation of the accreditation"),
    (K.ORG_COMMITTEE_NOMINATION, OUT.GRANTED): _("Approval of the group's representative"),
    (K.ORG_COMMITTEE_NOMINATION, OUT.REFUSED): _("Rejection of the nomination"),
    (K.ORG_COMMITTEE_NOMINATION, OUT.REVOKED): _("Withdrawal of the group's representative"),
    (K.VOTER_CORRECTION, OUT.GRANTED): _("Correction of the voter list"),
    (K.VOTER_CORRECTION, OUT.REFUSED): _("Refusal to correct the voter list"),
    (K.PROTOCOL_RETURN, OUT.GRANTED): _("Return of the protocol for correction"),
    (K.TIE, OUT.GRANTED): _("Decision on a tie"),
    (K.COMPLAINT, OUT.GRANTED): _("Complaint upheld"),
    (K.COMPLAINT, OUT.PARTLY): _("Complaint partly upheld"),
    (K.COMPLAINT, OUT.REFUSED): _("Complaint rejected"),
    (K.COMPLAINT, OUT.NOT_CONSIDERED): _("Complaint left without consideration"),
}


class DecisionVote(models.Model):
    """How one member present voted on a decision taken by a vote."""

    class Vote(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstained")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    position = models.CharField(_("position"), max_length=16, blank=True)
    vote = models.CharField(_("vote"), max_length=8, choices=Vote.choices)

    class Meta:
        verbose_name = _("member's vote")
        verbose_name_plural = _("members' votes")
        ordering = ["decision", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="one_vote_per_member_and_decision")
        ]

    def __str__(self):
        return f"{self.user}: {self.vote}"


class DecidedRequest(models.Model):
    """What a request decided by a body carries: the decision that set its status and every decision
    taken on it. The decision's date, author and reasons are read through it (``decided_at``,
    ``decided_by``, ``reason``: the reasons the requester reads)."""

    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )
    decisions = GenericRelation(Decision, content_type_field="subject_type", object_id_field="subject_id")

    class Meta:
        abstract = True

    @property
    def decided_at(self):
        return self.decision.decided_at if self.decision_id else None

    @property
    def decided_by(self):
        return self.decision.recorded_by if self.decision_id else None

    @property
    def reason(self) -> str:
        return self.decision.reasons if self.decision_id else ""
