"""The precincts' voting day: the list of precincts with their day (PEC, TEC, CEC, secretariat,
observers) and one precinct's day — its opening, turnout, incidents, closing, the home-voting
register and the mobile ballot box — with the forms for the precinct commission's members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from
from groups.models import CommissionMember, TerritorialUnit

from .. import plan, selectors, services
from ..forms import (
    CloseForm,
    HomeRequestForm,
    IncidentForm,
    MobileRunForm,
    NotVotedForm,
    OpenForm,
    TurnoutForm,
)
from ..models import HomeVotingRequest, MobileRun
from ..services._common import hours, pec_of, turnout_times
from .print_run import error_text

#: seconds between reloads of a day page for those who only read it (observers watch it live)
REFRESH_SECONDS = 30


class DayListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "polling.view"
    template_name = "polling/days.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.days_overview(self.request.user, self.election)
        ctx["home_activity"] = plan.activity(self.election, "home")
        ctx["day_activity"] = plan.activity(self.election, "day")
        return ctx


class DayView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "polling.view"
    template_name = "polling/day.html"

    def get_permission_object(self):
        election = self.load_election()
        if not hasattr(self, "unit"):
            self.unit = get_object_or_404(
                TerritorialUnit.objects.select_related("election", "parent"),
                pk=self.kwargs["unit"],
                election=election,
                kind=TerritorialUnit.Kind.PRECINCT,
            )
            if not selectors.may_view_day(self.request.user, self.unit):
                raise Http404
        return election

    def _forms(self, data=None, action=None):
        unit = self.unit
        pec = pec_of(unit)
        members = list(CommissionMember.objects.filter(commission=pec, is_active=True).select_related("user"))
        contests = services.contests_at(unit)
        pending = list(
            HomeVotingRequest.objects.filter(unit=unit, status=HomeVotingRequest.Status.REGISTERED)
        )
        build = {
            "open": lambda d: OpenForm(d, members=members),
            "turnout": lambda d: TurnoutForm(d, times=turnout_times(self.election)),
            "incident": lambda d: IncidentForm(d),
            "close": lambda d: CloseForm(d, contests=contests),
            "request": lambda d: HomeRequestForm(d),
            "run": lambda d: MobileRunForm(d, members=members, requests=pending, contests=contests),
        }
        return {name: make(data if name == action else None) for name, make in build.items()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.unit
        user = self.request.user
        day = selectors.day_of(unit)
        may_record = selectors.may_record(user, unit)
        personal = selectors.may_see_personal(user, unit)
        requests = list(HomeVotingRequest.objects.filter(unit=unit).select_related("run").order_by("number"))
        runs = list(MobileRun.objects.filter(unit=unit).prefetch_related("members__user").order_by("left_at"))
        contests = services.contests_at(unit)
        ctx.update(
            unit=unit,
            day=day,
            turnout=list(day.turnout.all()) if day else [],
            incidents=list(day.incidents.all()) if day else [],
            members_present=list(day.members_present.select_related("user")) if day else [],
            requests=requests,
            runs=[{"run": r, "rows": [(c, r.counts.get(str(c.pk), {})) for c in contests]} for r in runs],
            closing_rows=[(c, (day.closing or {}).get(str(c.pk), {})) for c in contests] if day else [],
            may_record=may_record,
            personal=personal,
            refresh=None if may_record else REFRESH_SECONDS,
            hours=hours(self.election),
            on_list=selectors.precinct_list_sizes(self.election, [unit]).get(unit.pk, 0),
        )
        if may_record:
            forms = kwargs.get("forms") or self._forms()
            for name, form in forms.items():
                ctx[f"{name}_form"] = form
            ctx["not_voted_form"] = kwargs.get("not_voted_form") or NotVotedForm()
        return ctx

    def post(self, request, *args, **kwargs):
        unit = self.unit
        if not selectors.may_record(request.user, unit):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action == "not_voted":
            form = NotVotedForm(request.POST)
            target = get_object_or_404(HomeVotingRequest, pk=request.POST.get("request"), unit=unit)
            if form.is_valid():
                try:
                    services.home_request_not_voted(
                        request=target, actor=request.user, note=form.cleaned_data["note"]
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(request, error_text(exc))
                else:
                    messages.success(request, _("Recorded: the voter did not vote."))
                return redirect("polling:day", slug=self.election.slug, unit=unit.pk)
            return self.render_to_response(self.get_context_data(not_voted_form=form))
        forms = self._forms(request.POST, action)
        form = forms.get(action)
        if form is None:
            return redirect("polling:day", slug=self.election.slug, unit=unit.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "open":
                    services.day_open(
                        unit=unit,
                        actor=request.user,
                        opened_at=data["opened_at"],
                        member_ids=data["members"],
                        boxes_shown=data["boxes_shown"],
                        witnesses=data["witnesses"],
                    )
                    done = _("The opening is recorded.")
                elif action == "turnout":
                    services.turnout_report(
                        unit=unit,
                        actor=request.user,
                        time=data["time"],
                        voters=data["voters"],
                        correction_reason=data["correction_reason"],
                    )
                    done = _("Turnout is reported.")
                elif action == "incident":
                    services.incident_record(
                        unit=unit, actor=request.user, occurred_at=data["occurred_at"], text=data["text"]
                    )
                    done = _("The incident is in the log.")
                elif action == "close":
                    services.day_close(
                        unit=unit,
                        actor=request.user,
                        closed_at=data["closed_at"],
                        counts=form.counts(),
                        note=data["note"],
                    )
                    done = _("The closing is recorded.")
                elif action == "request":
                    services.home_request_register(
                        unit=unit,
                        actor=request.user,
                        voter_name=data["voter_name"],
                        address=data["address"],
                        reason=data["reason"],
                        how=data["how"],
                        received_at=data["received_at"],
                    )
                    done = _("The request is registered.")
                else:
                    services.mobile_run_record(
                        unit=unit,
                        actor=request.user,
                        box=data["box"],
                        left_at=data["left_at"],
                        returned_at=data["returned_at"],
                        member_ids=data["members"],
                        counts=form.counts(),
                        request_ids=data["requests"],
                        explanation=data["explanation"],
                    )
                    done = _("The run of the mobile ballot box is recorded.")
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, done)
                return redirect("polling:day", slug=self.election.slug, unit=unit.pk)
        return self.render_to_response(self.get_context_data(forms=forms))
