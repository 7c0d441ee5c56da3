"""What the campaign's records mark done on the calendar plan (template kg-local-2016):

* 15 / 27 — every document of a representative (15) or proxy (27) received has been decided;
* 28 — the first outlet's rates are filed (the date of filing);
* 32 — every precinct has its place for printed material (the last allocation's date);
* 29, 40 — every precinct's notice to voters is published (the last publication's time);
* 38 — every fund's three reports are submitted (the last submission's time);
* 36 — every submitted report of every fund has the commission's conclusion.

Items 30 and 31 (the campaign and its events) run through the campaign period; they are marked by
the responsible body on the calendar page, as before."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from elections.selectors import calendar_of
from elections.services.calendar import activity_fulfil
from groups.models import Commission

from .models import CampaignFund, CampaignPlace, FundReport, MediaRate, Representative, VoterNotice


def _complete(election, number: int, note: str, when) -> None:
    calendar = calendar_of(election)
    if calendar is not None and calendar.template.slug == "kg-local-2016":
        activity_fulfil(election=election, number=number, note=note, when=when)


def representatives_fulfil(election, kind: str) -> None:
    proxies = kind == Representative.Kind.PROXY
    reps = Representative.objects.filter(election=election)
    reps = (
        reps.filter(kind=Representative.Kind.PROXY)
        if proxies
        else reps.exclude(kind=Representative.Kind.PROXY)
    )
    if not reps.exists() or reps.filter(status=Representative.Status.SUBMITTED).exists():
        return
    last = max(
        (r.decision.decided_at for r in reps.select_related("decision") if r.decision_id),
        default=timezone.now(),
    )
    _complete(
        election,
        27 if proxies else 15,
        _("Every document received has been decided: %(count)s registered.")
        % {"count": reps.filter(status__in=("registered", "cancelled")).count()},
        last,
    )


def media_fulfil(election) -> None:
    first = MediaRate.objects.filter(election=election).order_by("filed_on").first()
    if first is not None:
        when = timezone.make_aware(
            timezone.datetime.combine(first.filed_on, timezone.datetime.min.time()), election.tz
        )
        _complete(election, 28, _("Rates filed with the central commission."), when)


def _precincts(election) -> set[int]:
    return set(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )


def places_fulfil(election) -> None:
    units = _precincts(election)
    places = CampaignPlace.objects.filter(election=election)
    if units and units <= set(places.values_list("unit_id", flat=True)):
        last = places.order_by("-allocated_on").first().allocated_on
        when = timezone.make_aware(timezone.datetime.combine(last, timezone.datetime.min.time()), election.tz)
        _complete(election, 32, _("Every precinct has its place for printed campaign material."), when)


def notices_fulfil(election) -> None:
    units = _precincts(election)
    notices = VoterNotice.objects.filter(election=election)
    if units and units <= set(notices.values_list("unit_id", flat=True)):
        when = notices.order_by("-published_at").first().published_at
        note = _("Every precinct's notice to voters is published.")
        _complete(election, 40, note, when)
        _complete(election, 29, note, when)


def funds_fulfil(election) -> None:
    funds = CampaignFund.objects.filter(election=election)
    reports = FundReport.objects.filter(fund__in=funds)
    if not funds.exists():
        return
    if not reports.filter(status=FundReport.Status.DRAFT).exists():
        when = reports.order_by("-submitted_at").first().submitted_at
        _complete(election, 38, _("Every fund's three reports are submitted."), when)
    if not reports.exclude(status=FundReport.Status.REVIEWED).exists():
        _complete(
            election, 36, _("Every report of every fund has the commission's conclusion."), timezone.now()
        )
