"""Calendar plan pages: the table, the timeline, my deadlines, marking done, exports, templates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, LoginRequired, Public
from accounts.permissions import can

from .. import calendar as engine
from .. import selectors
from ..activity_work import activity_work
from ..forms import ActivityCompleteForm, PlanTemplateForm, ReasonForm, TemplateChoiceForm, anchors_form_class
from ..models import CalendarActivity, CalendarFeedToken, Notification, PlanTemplate
from ..responsibility import role_keys_of
from ..services import calendar as services
from .election import ElectionContextMixin, form_errors_from


def _lang(request) -> str:
    """The language asked for (``?lang=``) or the page's, one of the portal's (else Russian)."""
    lang = (request.GET.get("lang") or get_language() or "ru")[:2]
    return lang if lang in {code for code, _name in settings.LANGUAGES} else "ru"


class CalendarContextMixin(ElectionContextMixin):
    def load_calendar(self, required=True):
        self.calendar = selectors.calendar_of(self.load_election())
        if self.calendar is None and required:
            raise Http404
        return self.calendar


class CalendarView(Public, CalendarContextMixin, TemplateView):
    """The plan as a table by section with statuses and countdowns (public read-only)."""

    template_name = "elections/calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        calendar = self.load_calendar(required=False)
        ctx["calendar"] = calendar
        ctx["can_manage"] = can(user, "calendar.manage", self.election)
        if calendar is None:
            return ctx
        ctx["now"] = timezone.now()
        ctx["sections"] = selectors.calendar_sections(calendar, ctx["now"])
        ctx["contradictions"] = selectors.calendar_contradictions(calendar)
        ctx["plan_voting_day"] = selectors.calendar_voting_day(calendar)
        ctx["day_differs"] = selectors.calendar_day_differs(calendar)
        ctx["english"] = _lang(self.request) == "en"
        keys = role_keys_of(user, self.election) if can(user, "calendar.complete", self.election) else set()
        work = activity_work(user, self.election)
        for section in ctx["sections"]:
            for a in section["activities"]:
                a.work_links = work.get(a.number, [])
                a.can_complete = a.current_status in ("planned", "in_progress", "overdue", "missed") and (
                    ctx["can_manage"] or bool(keys & set(a.responsible_roles))
                )
        ctx["complete_form"] = ActivityCompleteForm()
        return ctx


class TimelineView(Public, CalendarContextMixin, TemplateView):
    """A Gantt-style timeline: one bar per dated activity between the plan's first and last date."""

    template_name = "elections/calendar_timeline.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        calendar = self.load_calendar()
        now = timezone.now()
        rows = [a for a in selectors.calendar_activities(calendar) if a.starts_at or a.due_at]
        if not rows:
            ctx["rows"] = []
            return ctx
        begin = min(a.starts_at or a.due_at - dt.timedelta(days=1) for a in rows)
        end = max(a.due_at or a.starts_at + dt.timedelta(days=1) for a in rows)
        span = (end - begin).total_seconds() or 1
        for a in rows:
            start = a.starts_at or a.due_at - dt.timedelta(days=1)
            finish = a.due_at or start + dt.timedelta(days=1)
            a.left = round((start - begin).total_seconds() / span * 100, 2)
            a.width = max(round((finish - start).total_seconds() / span * 100, 2), 0.6)
            a.current_status = a.status_at(now)
        ctx.update(rows=rows, begin=begin, end=end, calendar=calendar)
        if begin <= now <= end:
            ctx["today_left"] = round((now - begin).total_seconds() / span * 100, 2)
        return ctx


class MyDeadlinesView(LoginRequired, CalendarContextMixin, TemplateView):
    """The open activities the logged-in user's roles answer for, nearest first."""

    template_name = "elections/calendar_mine.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["calendar"] = self.load_calendar(required=False)
        ctx["now"] = timezone.now()
        ctx["rows"] = selectors.my_deadlines(self.request.user, self.election, ctx["now"])
        ctx["role_keys"] = sorted(role_keys_of(self.request.user, self.election))
        # the rows are the user's own activities; marking one needs the capability as well (the
        # check of activity_complete): a candidate reads their deadlines and marks nothing
        ctx["can_complete"] = can(self.request.user, "calendar.complete", self.election)
        ctx["complete_form"] = ActivityCompleteForm()
        return ctx


class _ActivityAction(CapabilityRequired, CalendarContextMixin, View):
    http_method_names = ["post"]

    def get_activity(self) -> CalendarActivity:
        return get_object_or_404(
            CalendarActivity, calendar=self.load_calendar(), number=self.kwargs["number"]
        )

    def back(self):
        return redirect(self.request.POST.get("next") or calendar_url(self.election))


def calendar_url(election):
    from django.urls import reverse

    return reverse("elections:calendar", args=[election.slug])


class ActivityCompleteView(_ActivityAction):
    capability = "calendar.complete"

    def post(self, request, *args, **kwargs):
        activity = self.get_activity()
        form = ActivityCompleteForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return self.back()
        try:
            services.activity_complete(
                activity=activity,
                actor=request.user,
                completed_at=form.cleaned_data["completed_at"],
                note=form.cleaned_data["note"],
                file=form.cleaned_data["document"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Your role may not do this."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Activity %(number)s is marked as done.") % {"number": activity.number}
            )
        return self.back()


class _ReasonAction(_ActivityAction):
    """A secretariat action on an activity that needs a reason (not applicable, reopen)."""

    capability = "calendar.manage"
    service = None  # a function(activity=..., actor=..., reason=...)
    done_message = ""

    def post(self, request, *args, **kwargs):
        activity = self.get_activity()
        form = ReasonForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Give the reason."))
            type(self).service(activity=activity, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _(self.done_message) % {"number": activity.number})
        return self.back()


class ActivityNotApplicableView(_ReasonAction):
    service = services.activity_set_not_applicable
    done_message = gettext_noop("Activity %(number)s is marked as not applicable.")


class ActivityReopenView(_ReasonAction):
    service = services.activity_reopen
    done_message = gettext_noop("Activity %(number)s is open again.")


class CalendarStartView(CapabilityRequired, CalendarContextMixin, TemplateView):
    """Start (or restart, while nothing is completed) the election's calendar from a template."""

    capability = "calendar.manage"
    template_name = "elections/calendar_start.html"

    def _template(self):
        pk = self.request.POST.get("template") or self.request.GET.get("template")
        return PlanTemplate.objects.filter(pk=pk).first() if pk else None

    def _initial(self, template_obj):
        initial = {}
        names = {a.name for a in template_obj.anchors}
        if "voting_day" in names and self.election.voting_day:
            initial["voting_day"] = self.election.voting_day
        existing = selectors.calendar_of(self.election)
        if existing is not None and existing.template.slug == template_obj.slug:
            initial.update({k: v for k, v in existing.anchors.items() if k in names})
            initial["holidays"] = "\n".join(existing.holidays)
            if "voting_day" in names and self.election.voting_day:
                # the election's current day, not the one the plan was computed from
                initial["voting_day"] = self.election.voting_day
        return initial

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(choice=TemplateChoiceForm(initial={"template": self._template()}))
        template = self._template()
        if template is not None:
            parsed = template.parsed()
            ctx.update(template=template, form=anchors_form_class(parsed)(initial=self._initial(parsed)))
        ctx["existing"] = selectors.calendar_of(self.election)
        return self.render_to_response(ctx)

    def post(self, request, *args, **kwargs):
        template = self._template()
        if template is None:
            return redirect(request.path)
        form = anchors_form_class(template.parsed())(request.POST)
        if form.is_valid():
            anchors = {k: v for k, v in form.cleaned_data.items() if k != "holidays" and v not in (None, "")}
            anchors = {
                k: (timezone.localtime(v).replace(tzinfo=None) if isinstance(v, dt.datetime) else v)
                for k, v in anchors.items()
            }
            existing = selectors.calendar_of(self.election)
            try:
                if existing is not None and existing.template_id == template.pk:
                    # the same plan with new dates: the deadlines move and what is done stays done
                    # (starting anew is refused once an activity is done)
                    services.calendar_set_anchors(
                        calendar=existing,
                        anchors=anchors,
                        holidays=form.cleaned_data["holidays"],
                        actor=request.user,
                    )
                else:
                    services.calendar_start(
                        election=self.election,
                        template=template,
                        anchors=anchors,
                        holidays=form.cleaned_data["holidays"],
                        actor=request.user,
                    )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The calendar plan is computed from the template."))
                return redirect("elections:calendar", slug=self.election.slug)
        ctx = self.get_context_data(
            choice=TemplateChoiceForm(initial={"template": template}), template=template, form=form
        )
        ctx["existing"] = selectors.calendar_of(self.election)
        return self.render_to_response(ctx)


class CalendarFollowVotingDayView(CapabilityRequired, CalendarContextMixin, TemplateView):
    """Recompute the plan from the election's new voting day, after a confirmation."""

    capability = "calendar.manage"
    template_name = "elections/calendar_follow.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        calendar = self.load_calendar()
        ctx.update(
            calendar=calendar,
            plan_voting_day=selectors.calendar_voting_day(calendar),
            completed=calendar.activities.filter(completed_at__isnull=False).count(),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        calendar = self.load_calendar()
        try:
            services.calendar_follow_voting_day(calendar=calendar, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The plan is recomputed from the new voting day."))
        return redirect("elections:calendar", slug=self.election.slug)


class CalendarExportView(Public, CalendarContextMixin, View):
    """The plan as iCalendar, CSV, JSON or an A4 landscape PDF laid out like the seed's table."""

    TYPES = {
        "ics": "text/calendar; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "json": "application/json; charset=utf-8",
        "pdf": "application/pdf",
    }

    def get(self, request, slug, fmt):
        if fmt not in self.TYPES:
            raise Http404
        calendar = self.load_calendar()
        lang = _lang(request)
        if fmt == "pdf":
            from ..pdf import calendar_pdf_render

            content = calendar_pdf_render(calendar, lang=lang)
        else:
            plan = selectors.calendar_plan(calendar)
            if fmt == "ics":
                content = engine.plan_to_ics(plan, lang=lang, calendar_name=str(self.election.title))
            elif fmt == "csv":
                content = "\ufeff" + engine.plan_to_csv(plan, lang=lang)  # BOM: Excel opens it as UTF-8
            else:
                content = engine.plan_to_json(plan, lang=lang)
        response = HttpResponse(content, content_type=self.TYPES[fmt])
        disposition = "inline" if fmt in ("ics", "json") else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{self.election.slug}-calendar.{fmt}"'
        return response


class PersonalFeedView(Public, View):
    """A user's deadlines from every election, for a calendar app (the URL's token is the secret)."""

    def get(self, request, token):
        feed = (
            CalendarFeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
        )
        if feed is None:
            raise Http404
        from ..feeds import personal_ics

        return HttpResponse(personal_ics(feed.user), content_type="text/calendar; charset=utf-8")


class FeedTokenView(LoginRequired, View):
    """Create or renew the secret address of one's personal calendar feed."""

    http_method_names = ["post"]

    def post(self, request):
        CalendarFeedToken.objects.filter(user=request.user).delete()
        CalendarFeedToken.objects.create(user=request.user)
        messages.success(request, _("Your personal calendar address is ready; the old one no longer works."))
        return redirect("accounts:profile")


class NotificationListView(LoginRequired, TemplateView):
    template_name = "elections/notifications.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notifications"] = Notification.objects.filter(user=self.request.user)[:100]
        return ctx

    def post(self, request, *args, **kwargs):
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("portal:notifications")


class TemplateListView(CapabilityRequired, TemplateView):
    capability = "calendar.manage"
    template_name = "elections/plan_templates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["templates"] = PlanTemplate.objects.order_by("slug")
        return ctx


class TemplateEditView(CapabilityRequired, TemplateView):
    """Write a template in YAML (or upload one); every problem is listed with its activity."""

    capability = "calendar.manage"
    template_name = "elections/plan_template_form.html"

    def get_object(self):
        slug = self.kwargs.get("slug")
        return get_object_or_404(PlanTemplate, slug=slug) if slug else None

    def get(self, request, *args, **kwargs):
        template = self.get_object()
        initial = {"yaml_text": template.source_yaml} if template else {}
        if template is None and request.GET.get("from"):
            source = PlanTemplate.objects.filter(slug=request.GET["from"]).first()
            if source:
                initial = {"yaml_text": source.source_yaml}
        return self.render_to_response(
            self.get_context_data(form=PlanTemplateForm(initial=initial), object=template)
        )

    def post(self, request, *args, **kwargs):
        template = self.get_object()
        form = PlanTemplateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = services.plan_template_save(
                    yaml_text=form.cleaned_data["yaml_text"], actor=request.user
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The template “%(slug)s” is saved.") % {"slug": saved.slug})
                return redirect("portal:plan_template", slug=saved.slug)
        return self.render_to_response(self.get_context_data(form=form, object=template))


class TemplateDetailView(CapabilityRequired, TemplateView):
    capability = "calendar.manage"
    template_name = "elections/plan_template_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        template = get_object_or_404(PlanTemplate, slug=self.kwargs["slug"])
        ctx["object"] = template
        ctx["parsed"] = template.parsed()
        return ctx
