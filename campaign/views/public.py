"""The campaign in public: events and places (the TEC records them), media rates (the CEC),
notices to voters (the precinct's commissions) and "where and when do I vote"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.access import Public
from accounts.models import Role
from accounts.permissions import can, roles_in
from ballots.models import Contest
from elections.documents import validate_document as check_document
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from
from groups.models import Commission, CommissionMember
from groups.selectors import is_cec_or_secretariat
from groups.views.base import file_download

from .. import selectors_public as sel
from .. import services
from ..models import CampaignEvent, MediaRate, VoterNotice
from ..notice_pdf import notice_pdf_render
from .representatives import _error

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _member_units(user, election, kinds) -> set[int] | None:
    """Units of the user's commissions of ``kinds`` (None: the secretariat, every unit)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser or Role.SECRETARIAT in roles_in(user, election):
        return None
    return set(
        CommissionMember.objects.filter(
            user=user, is_active=True, commission__election=election, commission__kind__in=kinds
        ).values_list("commission__unit_id", flat=True)
    )


class EventForm(forms.Form):
    contest = forms.TypedChoiceField(label=gettext_lazy("Ballot"), coerce=int)
    organiser = forms.CharField(
        label=gettext_lazy("Organised by"),
        max_length=300,
        help_text=gettext_lazy("The candidate or party who notified the event."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CampaignEvent.Kind.choices)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=300)
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends at"), widget=DATETIME)
    expected = forms.IntegerField(label=gettext_lazy("Expected participants"), min_value=1)

    def __init__(self, *args, contests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contests = {c.pk: c for c in contests}
        self.fields["contest"].choices = [(c.pk, c.title) for c in contests]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (CampaignEvent.Status.AGREED, CampaignEvent.Status.AGREED.label),
            (CampaignEvent.Status.MOVED, CampaignEvent.Status.MOVED.label),
            (CampaignEvent.Status.REFUSED, CampaignEvent.Status.REFUSED.label),
        ],
    )
    answer = forms.CharField(
        label=gettext_lazy("Reasons, and the other place or time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlaceForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Precinct"), coerce=int)
    address = forms.CharField(label=gettext_lazy("Address of the place"), max_length=300)
    allocated_by = forms.CharField(
        label=gettext_lazy("Allocated by"), max_length=300, help_text=gettext_lazy("The local authority.")
    )
    allocated_on = forms.DateField(label=gettext_lazy("Allocated on"), widget=DATE)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, f"№ {u.number} — {u.name}") for u in units]


class EventsView(Public, ElectionContextMixin, TemplateView):
    template_name = "campaign/events.html"

    def _tec_contests(self):
        units = _member_units(self.request.user, self.election, [Commission.Kind.TEC])
        if units is not None and not units:
            return []
        contests = Contest.objects.filter(election=self.election, unit__isnull=False).order_by("pk")
        return (
            [c for c in contests if units is None or c.unit_id in units]
            if can(self.request.user, "campaign.record", self.election)
            else []
        )

    def _place_units(self):
        if not can(self.request.user, "campaign.record", self.election):
            return []
        units = _member_units(
            self.request.user, self.election, [Commission.Kind.TEC, Commission.Kind.PEC, Commission.Kind.CEC]
        )
        found = list(sel.precincts(self.election))
        if units is None:
            return found
        cec = Commission.objects.filter(
            election=self.election,
            kind=Commission.Kind.CEC,
            members__user=self.request.user,
            members__is_active=True,
        ).exists()
        return [u for u in found if cec or u.pk in units or u.parent_id in units]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        contests = self._tec_contests()
        ctx.update(
            events=sel.events(self.election),
            periods=sel.periods(self.election),
            places=sel.places(self.election),
            may_answer={c.unit_id for c in contests},
        )
        if contests:
            ctx.setdefault("event_form", EventForm(contests=contests))
            ctx.setdefault("answer_form", AnswerForm())
        units = self._place_units()
        if units:
            ctx.setdefault("place_form", PlaceForm(units=units))
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        slug = self.election.slug
        if action == "answer":
            event = get_object_or_404(CampaignEvent, pk=request.POST.get("event"), election=self.election)
            form = AnswerForm(request.POST)
            if form.is_valid():
                try:
                    services.event_answer(
                        event=event,
                        actor=request.user,
                        status=form.cleaned_data["status"],
                        answer=form.cleaned_data["answer"],
                    )
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(request, _error(exc))
                else:
                    messages.success(request, _("The commission's answer is recorded."))
            else:
                messages.error(request, _("Choose the commission's answer."))
            return redirect("campaign:events", slug=slug)
        if action == "event":
            contests = self._tec_contests()
            if not contests:
                raise PermissionDenied
            form, key = EventForm(request.POST, contests=contests), "event_form"
        elif action == "place":
            units = self._place_units()
            if not units:
                raise PermissionDenied
            form, key = PlaceForm(request.POST, units=units), "place_form"
        else:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "event":
                    services.event_notify(
                        contest=form.contests[d["contest"]],
                        actor=request.user,
                        organiser=d["organiser"],
                        kind=d["kind"],
                        place=d["place"],
                        starts_at=d["starts_at"],
                        ends_at=d["ends_at"],
                        expected=d["expected"],
                    )
                    messages.success(request, _("The event is in the register."))
                else:
                    services.place_record(
                        unit=form.units[d["unit"]],
                        actor=request.user,
                        address=d["address"],
                        allocated_by=d["allocated_by"],
                        allocated_on=d["allocated_on"],
                    )
                    messages.success(request, _("The place is recorded."))
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                return redirect("campaign:events", slug=slug)
        return self.render_to_response(self.get_context_data(**{key: form}))


class MediaForm(forms.Form):
    outlet = forms.CharField(label=gettext_lazy("Outlet"), max_length=300)
    medium = forms.ChoiceField(label=gettext_lazy("Medium"), choices=MediaRate.Medium.choices)
    conditions = forms.CharField(
        label=gettext_lazy("Rates and conditions"), widget=forms.Textarea(attrs={"rows": 3})
    )
    published_on = forms.DateField(label=gettext_lazy("Published on"), widget=DATE)
    filed_on = forms.DateField(label=gettext_lazy("Filed with the central commission on"), widget=DATE)
    document = forms.FileField(label=gettext_lazy("The outlet's document (a scan, PDF)"), required=False)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_document(upload)
        return upload


class MediaView(Public, ElectionContextMixin, TemplateView):
    template_name = "campaign/media.html"

    def may_record(self) -> bool:
        user = self.request.user
        return can(user, "campaign.media", self.election) and is_cec_or_secretariat(user, self.election)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["media"] = sel.media_rates(self.election)
        if self.may_record():
            ctx.setdefault("form", MediaForm())
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.may_record():
            raise PermissionDenied
        form = MediaForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.media_rate_record(election=self.election, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The rates are recorded."))
                return redirect("campaign:media", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class MediaDocumentView(Public, ElectionContextMixin, View):
    """The outlet's published rates as filed: public, like the rates themselves."""

    def get(self, request, *args, **kwargs):
        rate = get_object_or_404(MediaRate, pk=kwargs["pk"], election=self.election)
        if not rate.document:
            raise Http404
        return file_download(rate.document, f"rates-{rate.pk}.pdf")


class NoticeForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Precinct"), coerce=int)
    channels = forms.CharField(
        label=gettext_lazy("Published through"),
        max_length=300,
        help_text=gettext_lazy("e.g. posted at the school, the district newspaper, delivered to homes"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, f"№ {u.number} — {u.name}") for u in units]


class NoticesView(EventsView):
    template_name = "campaign/notices.html"

    def get_context_data(self, **kwargs):
        ctx = TemplateView.get_context_data(self, **kwargs)
        ctx["election"] = self.election
        ctx["notices"] = sel.notices(self.election)
        published = {row["unit"].pk for row in ctx["notices"]["rows"] if row["notice"]}
        units = [u for u in self._place_units() if u.pk not in published]
        if units:
            ctx.setdefault("form", NoticeForm(units=units))
        return ctx

    def post(self, request, *args, **kwargs):
        units = self._place_units()
        if not units:
            raise PermissionDenied
        form = NoticeForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.voter_notice_publish(
                    unit=form.units[form.cleaned_data["unit"]],
                    actor=request.user,
                    channels=form.cleaned_data["channels"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(request, _("The notice is published."))
                return redirect("campaign:notices", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class NoticePdfView(Public, ElectionContextMixin, View):
    def get(self, request, *args, **kwargs):
        notice = get_object_or_404(
            VoterNotice.objects.select_related("unit", "election"), pk=kwargs["pk"], election=self.election
        )
        response = HttpResponse(notice_pdf_render(notice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{notice.unit.number}.pdf"'
        return response


class WhereView(Public, ElectionContextMixin, TemplateView):
    """Where and when do I vote: a street or a village in, the precincts with their address, the
    hours and the notice out. Nothing personal is asked; the list check is linked."""

    template_name = "campaign/where.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        ctx["query"] = query
        if query:
            found = sel.find_precincts(self.election, query)
            notices = {
                n.unit_id: n for n in VoterNotice.objects.filter(election=self.election, unit__in=found)
            }
            ctx["found"] = [(u, notices.get(u.pk)) for u in found]
        return ctx
