"""Lifecycle guards of protocols (registered in ``ProtocolsConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ballots.models import Contest
from elections.dashboard import Panel
from elections.lifecycle import Blocker, Consequence

from .models import Protocol


def group_protocols_signed(election) -> list[Blocker]:
    """Certification waits for the signed protocol of every electoral group's contest (seed 000
    item 21: the counting commission's protocol is the result of the group)."""

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

    from .selectors import protocol_status_counts

    return Panel(
        title=_("Protocols"),
        template="protocols/panels/protocols.html",
        context={"protocols": protocol_status_counts(election), "election": election},
    )


def publication_consequences(election):
    """The confirmation page of "publish": how many subscribers get the results mail."""
    from django.db.models import Q
    from django.utils.translation import ngettext

    from .models import ResultSubscription

    n = ResultSubscription.objects.filter(
        Q(election=election) | Q(election__isnull=True),
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
    ).count()
    return [
        Consequence(
            "told",
            ngettext(
                "%(n)s confirmed subscriber receives the results by e-mail.",
                "%(n)s confirmed subscribers receive the results by e-mail.",
                n,
            )
            % {"n": n},
        )
    ]


def certification_consequences(election):
    """The confirmation page of "certify": the signed protocols the results are certified from."""
    from django.utils.translation import ngettext

    n = Protocol.objects.filter(election=election, status=Protocol.Status.SIGNED).count()
    return [
        Consequence(
            "locked",
            ngettext(
                "%(n)s signed protocol becomes final.",
                "%(n)s signed protocols become final.",
                n,
            )
            % {"n": n},
        )
    ]


def day_records_frozen(election, unit) -> str | None:
    """A precinct's voting-day records (``polling``) stop changing once its protocol is being
    signed: the protocol's lines 2–5 were checked against them."""
    if Protocol.objects.filter(
        election=election,
        level=Protocol.Level.PRECINCT,
        unit=unit,
        status__in=(Protocol.Status.SIGNING, Protocol.Status.SIGNED),
    ).exists():
        return _(
            "The precinct protocol is being signed or signed: the voting day's records no longer change. "
            "A mistake is corrected with a new version of the protocol and explained there."
        )
    return None
