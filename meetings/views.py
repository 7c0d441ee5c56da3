"""Pages of meetings: the list of an election's meetings, scheduling one, one meeting with its
agenda, the invited and the attendance with the quorum, its calendar event."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections.selectors import calendar_activities, calendar_of
from elections.views.base import ObjectLookupMixin, ObserversReadOnly, form_errors_from
from elections.views.election import ElectionContextMixin

from . import selectors, services
from .forms import AttendanceForm, CancelForm, InviteForm, MeetingForm
from .ics import meeting_ics
from .models import Meeting


class MeetingListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "meeting.view"
    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meetings"] = selectors.meetings_for(self.request.user, self.election)
        ctx["can_schedule"] = bool(selectors.bodies_for(self.request.user, self.election))
        return ctx


class MeetingCreateView(CapabilityRequired, ObserversReadOnly, ElectionContextMixin, TemplateView):
    capability = "meeting.manage"
    template_name = "meetings/form.html"

    def form(self, data=None):
        calendar = calendar_of(self.election)
        activities = calendar_activities(calendar) if calendar is not None else []
        initial = {"activity_number": self.request.GET.get("activity", "")}
        return MeetingForm(
            data,
            bodies=selectors.bodies_for(self.request.user, self.election),
            activities=activities,
            initial=initial,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.form())
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    election=self.election, actor=request.user, **form.cleaned()
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The meeting is scheduled; the members are invited by e-mail."))
                return redirect("meetings:detail", slug=self.election.slug, pk=meeting.pk)
        return self.render_to_response(self.get_context_data(form=form))


class MeetingObjectMixin(ObjectLookupMixin):
    object_name = "meeting"

    def lookup(self, election):
        meeting = (
            Meeting.objects.filter(election=election, pk=self.kwargs["pk"])
            .select_related("commission")
            .first()
        )
        if meeting is None or not selectors.may_see(self.request.user, meeting):
            raise Http404
        return meeting


class MeetingDetailView(
    CapabilityRequired, ObserversReadOnly, MeetingObjectMixin, ElectionContextMixin, TemplateView
):
    capability = "meeting.view"
    template_name = "meetings/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting = self.meeting
        participants = selectors.participants_of(meeting)
        can_manage = (
            can(self.request.user, "meeting.manage", meeting) and meeting.status != Meeting.Status.CANCELLED
        )
        ctx.update(
            meeting=meeting,
            items=list(meeting.items.select_related("decision")),
            participants=participants,
            quorum=selectors.quorum_of(meeting),
            can_manage=can_manage,
        )
        if can_manage:
            ctx.setdefault("attendance_form", AttendanceForm(participants=participants))
            if meeting.status == Meeting.Status.PLANNED:
                ctx.setdefault("cancel_form", CancelForm())
                offer = selectors.invitable(meeting)
                if offer:
                    ctx.setdefault("invite_form", InviteForm(offer=offer))
        return ctx

    def post(self, request, *args, **kwargs):
        if not can(request.user, "meeting.manage", self.meeting):
            raise PermissionDenied
        participants = selectors.participants_of(self.meeting)
        if request.POST.get("action") == "invite":
            form = InviteForm(request.POST, offer=selectors.invitable(self.meeting))
            if form.is_valid():
                try:
                    count = services.participants_invite(
                        meeting=self.meeting, actor=request.user, user_ids=form.cleaned_data["people"]
                    )
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(
                        request, _("Invited: %(count)s; they are told by e-mail.") % {"count": count}
                    )
                    return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)
            return self.render_to_response(self.get_context_data(invite_form=form))
        if "reason" in request.POST:
            form = CancelForm(request.POST)
            if form.is_valid():
                try:
                    services.meeting_cancel(meeting=self.meeting, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("The meeting is cancelled."))
                    return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)
            return self.render_to_response(self.get_context_data(cancel_form=form))
        form = AttendanceForm(request.POST, participants=participants)
        if form.is_valid():
            try:
                quorum = services.attendance_record(
                    meeting=self.meeting, actor=request.user, present=form.cleaned_data["present"]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                if quorum.met:
                    messages.success(request, _("The attendance is recorded; the meeting has its quorum."))
                else:
                    messages.warning(
                        request,
                        _(
                            "The attendance is recorded. There is no quorum: the meeting cannot take decisions."
                        ),
                    )
                return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)
        return self.render_to_response(self.get_context_data(attendance_form=form))


class MeetingIcsView(CapabilityRequired, MeetingObjectMixin, ElectionContextMixin, TemplateView):
    capability = "meeting.view"

    def get(self, request, *args, **kwargs):
        page = request.build_absolute_uri(
            reverse("meetings:detail", args=[self.election.slug, self.meeting.pk])
        )
        response = HttpResponse(
            meeting_ics(self.meeting, page_url=page), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="meeting-{self.meeting.pk}.ics"'
        return response
