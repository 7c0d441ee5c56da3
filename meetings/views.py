"""Pages of meetings: the list of an election's meetings, scheduling one, one meeting with its
agenda, the invited and the attendance with the quorum, its calendar event."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can
from elections.selectors import calendar_activities, calendar_of
from elections.views.base import ObjectLookupMixin, ObserversReadOnly, form_errors_from
from elections.views.election import ElectionContextMixin

from . import selectors
from .agenda_subjects import subjects_for
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    InviteForm,
    ItemMinutesForm,
    MeetingForm,
    MinutesSignForm,
)
from .ics import meeting_ics
from .minutes import LANGUAGES, minutes_pdf_render
from .models import AgendaItem, Meeting, MinutesDocument
from .services import agenda, minutes
from .services import meeting as services


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

    def permission_object_of(self, meeting):
        # who may see the meeting is decided by ``selectors.may_see`` in ``lookup``: the invited
        # include the organising committee's representatives, whose roles are scoped to their group
        return meeting.election


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
        may_edit = can_manage and not meeting.minutes_signed
        subjects = subjects_for(meeting, self.request.user)
        links = {s.key: s.url for s in subjects}
        items = list(meeting.items.select_related("decision", "subject_type"))
        for item in items:
            item.subject_url = (
                links.get(f"{item.subject_type_id}:{item.subject_id}", "") if item.subject_id else ""
            )
        ctx.update(
            meeting=meeting,
            items=items,
            participants=participants,
            quorum=selectors.quorum_of(meeting),
            can_manage=can_manage,
            may_edit=may_edit,
            signatures=list(meeting.minutes_signatures.all()),
            documents=sorted(
                meeting.minutes_documents.filter(is_signed=True), key=lambda d: d.language != "ru"
            ),
            paper_tallies=selectors.assembly_ballots(meeting),
        )
        if selectors.may_sign_minutes(self.request.user, meeting):
            ctx.setdefault("sign_form", MinutesSignForm())
        if may_edit:
            ctx.setdefault("attendance_form", AttendanceForm(participants=participants))
            if meeting.status == Meeting.Status.HELD:
                ctx["minutes_forms"] = {
                    item.pk: ItemMinutesForm(
                        initial={"item": item.pk, "notes": item.notes, "dissent": item.dissent}
                    )
                    for item in items
                }
            ctx.setdefault("item_form", AgendaItemForm(subjects=subjects))
            ctx["may_draft_programme"] = (
                meeting.kind == Meeting.Kind.ASSEMBLY
                and meeting.status == Meeting.Status.PLANNED
                and not any(item.kind == AgendaItem.Kind.PRESENTATION for item in items)
            )
            if meeting.status == Meeting.Status.PLANNED:
                ctx.setdefault("cancel_form", CancelForm())
                offer = selectors.invitable(meeting)
                if offer:
                    ctx.setdefault("invite_form", InviteForm(offer=offer))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "sign" and selectors.may_sign_minutes(request.user, self.meeting):
            return self._sign(request)  # the service checks who signs as what
        if not can(request.user, "meeting.manage", self.meeting):
            raise PermissionDenied
        handler = {
            "invite": self._invite,
            "cancel": self._cancel,
            "item": self._add_item,
            "minutes": self._minute_item,
            "programme": self._programme,
            "sign": self._sign,
        }.get(request.POST.get("action"), self._attendance)
        return handler(request)

    def _done(self, message):
        messages.success(self.request, message)
        return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)

    def _invite(self, request):
        form = InviteForm(request.POST, offer=selectors.invitable(self.meeting))
        if form.is_valid():
            try:
                count = services.participants_invite(
                    meeting=self.meeting, actor=request.user, user_ids=form.cleaned_data["people"]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self._done(_("Invited: %(count)s; they are told by e-mail.") % {"count": count})
        return self.render_to_response(self.get_context_data(invite_form=form))

    def _cancel(self, request):
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_cancel(meeting=self.meeting, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self._done(_("The meeting is cancelled."))
        return self.render_to_response(self.get_context_data(cancel_form=form))

    def _add_item(self, request):
        form = AgendaItemForm(request.POST, subjects=subjects_for(self.meeting))
        if form.is_valid():
            try:
                agenda.agenda_item_add(
                    meeting=self.meeting,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    subject_key=form.cleaned_data["subject"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self._done(_("The item is added to the agenda."))
        return self.render_to_response(self.get_context_data(item_form=form))

    def _minute_item(self, request):
        form = ItemMinutesForm(request.POST)
        item = None
        if form.is_valid():
            item = self.meeting.items.filter(pk=form.cleaned_data["item"]).first()
            if item is None:
                raise Http404
            try:
                agenda.agenda_item_minute(
                    item=item,
                    actor=request.user,
                    notes=form.cleaned_data["notes"],
                    dissent=form.cleaned_data["dissent"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self._done(_("The minutes of item %(order)s are saved.") % {"order": item.order})
        ctx = self.get_context_data()
        if item is not None and "minutes_forms" in ctx:
            ctx["minutes_forms"][item.pk] = form
        else:
            messages.error(request, _("The minutes of the item were not saved; try again."))
        return self.render_to_response(ctx)

    def _programme(self, request):
        try:
            items = agenda.assembly_programme_draft(meeting=self.meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)
        return self._done(_("The programme is drawn up: %(count)s items added.") % {"count": len(items)})

    def _sign(self, request):
        form = MinutesSignForm(request.POST)
        if form.is_valid():
            try:
                minutes.minutes_sign(
                    meeting=self.meeting,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                self.meeting.refresh_from_db()
                if self.meeting.minutes_signed:
                    return self._done(
                        _(
                            "The minutes are signed by the chair and the secretary; their signed PDF is being made."
                        )
                    )
                return self._done(_("You have signed the minutes; the other signature is awaited."))
        return self.render_to_response(self.get_context_data(sign_form=form))

    def _attendance(self, request):
        participants = selectors.participants_of(self.meeting)
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
                    return self._done(_("The attendance is recorded; the meeting has its quorum."))
                messages.warning(
                    request,
                    _("The attendance is recorded. There is no quorum: the meeting cannot take decisions."),
                )
                return redirect("meetings:detail", slug=self.election.slug, pk=self.meeting.pk)
        return self.render_to_response(self.get_context_data(attendance_form=form))


class MinutesDraftView(CapabilityRequired, MeetingObjectMixin, ElectionContextMixin, View):
    """The minutes as they stand, unsigned, to read before signing."""

    capability = "meeting.view"

    def get(self, request, *args, **kwargs):
        if self.meeting.status != Meeting.Status.HELD:
            raise Http404
        language = get_language() if get_language() in LANGUAGES else "ru"
        response = HttpResponse(
            minutes_pdf_render(self.meeting, language=language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="minutes-{self.meeting.pk}-draft.pdf"'
        return response


class PublicMinutesView(Public, ElectionContextMixin, TemplateView):
    """The signed minutes of the election's meetings, for everyone where the election is public."""

    template_name = "meetings/public_minutes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.election.is_public:
            raise Http404
        ctx["meetings"] = selectors.public_minutes(self.election)
        return ctx


class MinutesDocumentView(Public, View):
    """The signed minutes, public where the election is public; otherwise for those who may see
    the meeting."""

    def get(self, request, slug, pk, language):
        document = (
            MinutesDocument.objects.filter(
                meeting__election__slug=slug, meeting__pk=pk, language=language, is_signed=True
            )
            .select_related("meeting__election", "meeting__commission")
            .first()
        )
        if document is None or not document.file:
            raise Http404
        meeting = document.meeting
        if not (meeting.election.is_public or selectors.may_see(request.user, meeting)):
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            content_type="application/pdf",
            filename=f"{meeting.election.slug}-minutes-{pk}-{language}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


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
