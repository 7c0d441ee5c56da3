"""A commission's decision on a tie (issue 15: ties are decided by people, on the record).

When two or more candidates (or lists) are equal for a seat, a member's or an alternate's place,
the count stops and the commission decides in its session: by a new vote, or by a lot drawn there
before the members and observers present. The decision is recorded here with who drew the lot (or
chaired the vote), who was present and what was drawn; the count is then repeated with it, and it
is printed on the protocol and its PDF. A decision is never edited or deleted: a commission that
got it wrong records a new one, which takes precedence for the same candidates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TieDecision(models.Model):
    class Method(models.TextChoices):
        LOT = "lot", _("A lot drawn in the session")
        NEW_VOTE = "new_vote", _("A new vote of the commission")

    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        related_name="tie_decisions",
        verbose_name=_("election"),
    )
    contest = models.ForeignKey(
        "ballots.Contest", on_delete=models.PROTECT, related_name="tie_decisions", verbose_name=_("contest")
    )
    protocol = models.ForeignKey(
        "protocols.Protocol",
        on_delete=models.PROTECT,
        related_name="tie_decisions",
        verbose_name=_("protocol"),
    )
    commission = models.ForeignKey(
        "groups.Commission", on_delete=models.PROTECT, related_name="+", verbose_name=_("commission")
    )
    place = models.CharField(_("what the tie decided"), max_length=200)
    candidates = models.JSONField(_("tied candidates"), default=list)
    order = models.JSONField(_("order decided, most favoured first"), default=list)
    method = models.CharField(_("how it was decided"), max_length=16, choices=Method.choices)
    held_at = models.DateTimeField(_("date and time of the session"))
    conducted_by = models.CharField(_("drawn by (or vote chaired by)"), max_length=300)
    present = models.TextField(_("members and observers present"))
    details = models.TextField(_("what was drawn, or the votes cast"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision on a tie")
        verbose_name_plural = _("decisions on ties")
        ordering = ["contest", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.place}: {', '.join(self.order)}"

    def permission_scope(self):
        return self.protocol.permission_scope()
