"""The print run page: the norms, the calculation, the order and the delivery (the CEC and the
secretariat act; commissions and observers read), and the order's CSV and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from

from .. import plan, selectors, services
from ..forms import CalculateForm, NormsForm, OrderForm, ProducedForm
from ..models import PrintRun
from ..print_order import LANGUAGES, order_csv, order_pdf_render
from ..services._common import hours, settings_for, turnout_times


def error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Your role may not do this.")


class PrintRunView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "polling.view"
    template_name = "polling/print_run.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        election = self.election
        run = selectors.current_run(election)
        manage = selectors.may_manage(self.request.user, election)
        norms = settings_for(election)
        ctx.update(
            run=run,
            summary=selectors.run_summary(run) if run else None,
            versions=PrintRun.objects.filter(election=election).order_by("-version"),
            norms=norms,
            hours=hours(election),
            turnout_times=turnout_times(election),
            manage=manage,
            activity=plan.activity(election, "print"),
        )
        if manage:
            ctx.setdefault("norms_form", NormsForm(instance=norms))
            if run is None or run.status in (
                PrintRun.Status.DRAFT,
                PrintRun.Status.ORDERED,
                PrintRun.Status.PRODUCED,
            ):
                ctx.setdefault("calculate_form", CalculateForm())
            if run is not None and run.status == PrintRun.Status.DRAFT:
                ctx.setdefault("order_form", OrderForm())
            if run is not None and run.status == PrintRun.Status.ORDERED:
                ctx.setdefault("produced_form", ProducedForm())
        return ctx

    def post(self, request, *args, **kwargs):
        election = self.election
        if not selectors.may_manage(request.user, election):
            raise PermissionDenied
        action = request.POST.get("action")
        run = selectors.current_run(election)
        forms = {"norms": NormsForm, "calculate": CalculateForm, "order": OrderForm, "produced": ProducedForm}
        if action not in forms:
            return redirect("polling:print_run", slug=election.slug)
        if action == "norms":
            form = NormsForm(request.POST, instance=settings_for(election))
        else:
            form = forms[action](request.POST)
        if form.is_valid():
            try:
                if action == "norms":
                    data = form.cleaned_data
                    services.polling_settings_save(
                        election=election,
                        actor=request.user,
                        reserve_percent=data["reserve_percent"],
                        reserve_minimum=data["reserve_minimum"],
                        numbered=data["numbered"],
                        turnout_times=services.parse_times(data["turnout_text"])
                        if data["turnout_text"].strip()
                        else [],
                    )
                    messages.success(request, _("The norms are saved."))
                elif action == "calculate":
                    run = services.print_run_calculate(
                        election=election, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request, _("Version %(version)s is calculated.") % {"version": run.version}
                    )
                elif run is None:
                    raise Http404
                elif action == "order":
                    services.print_run_order(
                        run=run, actor=request.user, printing_house=form.cleaned_data["printing_house"]
                    )
                    messages.success(request, _("The run is ordered; the order can be downloaded."))
                else:
                    services.print_run_produced(
                        run=run, actor=request.user, produced_at=form.cleaned_data["produced_at"]
                    )
                    messages.success(request, _("The delivery of the ballots is recorded."))
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    form_errors_from(form, exc)
                else:
                    form.add_error(None, error_text(exc))
            else:
                return redirect("polling:print_run", slug=election.slug)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))


class _OrderMixin(CapabilityRequired, ElectionContextMixin):
    capability = "polling.view"

    def run(self) -> PrintRun:
        run = selectors.current_run(self.election)
        if run is None:
            raise Http404
        return run


class PrintRunCsvView(_OrderMixin, View):
    def get(self, request, *args, **kwargs):
        run = self.run()
        response = HttpResponse(order_csv(run), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.election.slug}-print-run-v{run.version}.csv"'
        )
        return response


class PrintRunPdfView(_OrderMixin, View):
    def get(self, request, *args, **kwargs):
        run = self.run()
        language = request.GET.get("lang", "ru")
        if language not in LANGUAGES:
            raise Http404
        response = HttpResponse(order_pdf_render(run, language=language), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{self.election.slug}-print-run-v{run.version}-{language}.pdf"'
        )
        return response
