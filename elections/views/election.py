import zoneinfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can, is_read_only_observer

from .. import selectors, services
from ..forms import ElectionForm
from ..models import Election
from ..public_cache import PublicCached
from .base import form_errors_from


class ElectionContextMixin:
    """Loads the election named in the URL, refuses what the user may not see, and shows its
    times in the election's own time zone."""

    election: Election

    def load_election(self):
        if not hasattr(self, "election"):
            self.election = selectors.election_for_user(self.request.user, self.kwargs["slug"])
            timezone.activate(self.election.tz)
        return self.election

    def get_permission_object(self):
        return self.load_election()

    def dispatch(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        self.load_election()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["election"] = self.election
        # observers change nothing, not even through the public forms (the services refuse them):
        # pages show them a sentence instead of a form
        ctx["read_only_observer"] = is_read_only_observer(self.request.user, self.election)
        return ctx


class HomeView(Public, TemplateView):
    template_name = "elections/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["elections"] = selectors.elections_visible_to(self.request.user)
        return ctx


class ElectionDetailView(PublicCached, Public, ElectionContextMixin, TemplateView):
    template_name = "elections/election_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_edit"] = can(user, "election.edit", self.election)
        ctx["can_transition"] = can(user, "election.transition", self.election)
        if ctx["can_transition"] or can(user, "election.view_internal", self.election):
            ctx["next_steps"] = selectors.election_next_steps(self.election)
        if can(user, "calendar.manage", self.election):
            calendar = selectors.calendar_of(self.election)
            ctx["plan_day_differs"] = calendar is not None and selectors.calendar_day_differs(calendar)
        return ctx


def _activate_posted_zone(request, fallback: str):
    name = request.POST.get("time_zone") or fallback
    try:
        timezone.activate(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.activate(zoneinfo.ZoneInfo(fallback))


class ElectionCreateView(CapabilityRequired, TemplateView):
    capability = "election.create"
    template_name = "elections/election_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response({"form": ElectionForm(), "creating": True})

    def post(self, request, *args, **kwargs):
        from django.conf import settings

        _activate_posted_zone(request, settings.DEFAULT_ELECTION_TIME_ZONE)
        form = ElectionForm(request.POST)
        if form.is_valid():
            try:
                election = services.election_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The election is created as a draft."))
                return redirect("elections:detail", slug=election.slug)
        return self.render_to_response({"form": form, "creating": True})


class ElectionUpdateView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "election.edit"
    template_name = "elections/election_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ElectionForm(instance=self.election)))

    def post(self, request, *args, **kwargs):
        _activate_posted_zone(request, self.election.time_zone)
        original = Election.objects.get(pk=self.election.pk)
        form = ElectionForm(request.POST, instance=Election.objects.get(pk=self.election.pk))
        if form.is_valid():
            try:
                self.election = services.election_update(
                    election=original, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                calendar = selectors.calendar_of(self.election)
                if calendar is not None and selectors.calendar_day_differs(calendar):
                    # the plan keeps the old day until the secretariat confirms (its calendar page)
                    messages.warning(
                        request,
                        _(
                            "The voting day changed, but the calendar plan is still computed from the old "
                            "day: recompute it below."
                        ),
                    )
                    return redirect("elections:calendar", slug=self.election.slug)
                return redirect("elections:detail", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ElectionTransitionView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """A step of the lifecycle: GET is the confirmation page — what will happen, what will be
    locked, who will be told, what blocks it now; POST with ``confirm=yes`` takes the step
    (issue 15: an irreversible step is never one click)."""

    capability = "election.transition"
    template_name = "elections/transition_confirm.html"

    def get_transition(self):
        from .. import lifecycle

        transition = lifecycle.BY_NAME.get(self.kwargs["transition"])
        if transition is None:
            raise Http404
        return transition

    def get_context_data(self, **kwargs):
        from .. import lifecycle

        ctx = super().get_context_data(**kwargs)
        transition = self.get_transition()
        ctx["transition"] = transition
        ctx["blockers"] = lifecycle.blockers(self.election, transition)
        ctx["consequences"] = lifecycle.consequences(self.election, transition)
        return ctx

    def post(self, request, slug, transition):
        self.get_transition()
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Confirm the step on this page first: nothing was changed."))
            return redirect("elections:transition", slug=self.election.slug, transition=transition)
        try:
            services.election_transition(election=self.election, transition=transition, actor=request.user)
        except services.TransitionRefused as exc:
            messages.error(
                request, _("The step was refused:") + " " + " ".join(b.message for b in exc.blockers)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            election = get_object_or_404(Election, pk=self.election.pk)
            messages.success(
                request,
                _("The election is now at the stage “%(state)s”.") % {"state": election.get_state_display()},
            )
        return redirect("elections:detail", slug=self.election.slug)


class AuditLogView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """The audit entries of one election, for the secretariat and observers."""

    capability = "audit.view"
    template_name = "elections/audit_log.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = Paginator(selectors.audit_entries_for(self.request.user, self.election), 50)
        ctx["page"] = page.get_page(self.request.GET.get("page"))
        return ctx
