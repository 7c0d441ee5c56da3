"""Lifecycle guards of protocols (registered in ``ProtocolsConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from elections.lifecycle import Blocker

from .models import Protocol


def group_protocols_signed(election) -> list[Blocker]:
    """Certification waits for the signed protocol of every electoral group's contest (seed 000
    item 21: the counting commission's protocol is the result of the group)."""
    from ballots.models import Contest

    signed = set(
        Protocol.objects.filter(
            election=election, level=Protocol.Level.GROUP, status=Protocol.Status.SIGNED
        ).values_list("contest_id", flat=True)
    )
    return [
        Blocker(
            "group_protocol_unsigned",
            _("The protocol of “%(contest)s” is not signed by the counting commission yet.")
            % {"contest": contest.title},
        )
        for contest in Contest.objects.filter(election=election, group__isnull=False).order_by("title_ru")
        if contest.pk not in signed
    ]


def recount_after_signing(contest) -> str | None:
    """A paper batch is not counted again once the contest's protocol is being signed or signed:
    the members signed those figures; a correction of the protocol is needed then."""
    if Protocol.objects.filter(
        contest=contest, status__in=(Protocol.Status.SIGNING, Protocol.Status.SIGNED)
    ).exists():
        return _(
            "The protocol of this ballot is being signed or is signed: a recount now needs a "
            "correction of the protocol first."
        )
    return None


def protocols_panel(election):
    """The observer dashboard's protocols panel: counts by status and the signed protocols."""
    from groups.dashboard import Panel

    from .selectors import protocol_status_counts

    return Panel(
        title=_("Protocols"),
        template="protocols/panels/protocols.html",
        context={"protocols": protocol_status_counts(election), "election": election},
    )
