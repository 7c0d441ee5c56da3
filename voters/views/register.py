"""The voter register: imports with their progress and report, the precinct lists and their
PDF, freezing the final list, Form 3 decisions and recorded changes (seed 003 items 8–14)."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections.files import private_storage
from elections.files import serve_private_file as file_download
from elections.outbox import queue_now
from groups.models import TerritorialUnit
from groups.services import CommissionActionRefused

from .. import importer, selectors, services
from ..forms import DecisionForm, EntryChangeForm, ImportConfirmForm, RegisterImportForm
from ..models import RegisterImport
from ..pdf import stored_precinct_pdf
from ..services.imports import progress_key
from .base import (
    CorrectionMixin,
    EntryMixin,
    ImportMixin,
    PrecinctMixin,
    VotersView,
    form_errors_from,
    refusal_response,
)


class ListOverviewView(CapabilityRequired, VotersView):
    """The precincts whose lists the user may read (all for the secretariat, their own for a
    PEC member), the imports and the freeze."""

    capability = "register.view"
    template_name = "voters/list_overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["precincts"] = selectors.precincts_visible_to(self.request.user, self.election)
        ctx["counts"] = selectors.register_counts(self.election)
        ctx["settings"] = selectors.voter_settings(self.election)
        if ctx["voters_nav"]["manage"]:
            ctx["imports"] = selectors.imports_of(self.election)[:10]
            ctx["freeze_blockers"] = services.freeze_blockers(self.election)
        return ctx


class ImportUploadView(CapabilityRequired, VotersView):
    capability = "voter.manage"
    template_name = "voters/import_upload.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=RegisterImportForm()))

    def post(self, request, *args, **kwargs):
        form = RegisterImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                register_import = services.register_import_upload(
                    election=self.election,
                    file=form.cleaned_data["file"],
                    actor=request.user,
                    language=(get_language() or "ru")[:2],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("voters:import_detail", slug=self.election.slug, pk=register_import.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportDetailView(CapabilityRequired, ImportMixin, VotersView):
    """Progress (the page reloads itself while the task runs), the report and the confirmation."""

    capability = "voter.manage"
    template_name = "voters/import_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        register_import = self.register_import
        register_import.refresh_from_db()
        progress = register_import.progress
        if register_import.status == RegisterImport.Status.IMPORTING:
            progress = cache.get(progress_key(register_import.pk), progress)
        ctx["register_import"] = register_import
        ctx["progress"] = progress
        ctx["running"] = register_import.is_active
        ctx["failure"] = services.failure_message(register_import)
        ctx["problems"] = [
            dict(p, message=importer.problem_message(p["code"], p.get("param", ""), p.get("param2", "")))
            for p in register_import.problems_preview
        ]
        ctx.setdefault("form", ImportConfirmForm(initial={"mode": "all"}))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "discard":
            try:
                services.register_import_discard(register_import=self.register_import, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("voters:import_detail", slug=self.election.slug, pk=self.register_import.pk)
        form = ImportConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.register_import_confirm(
                    register_import=self.register_import, actor=request.user, mode=form.cleaned_data["mode"]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("voters:import_detail", slug=self.election.slug, pk=self.register_import.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ImportReportView(CapabilityRequired, ImportMixin, VotersView):
    """The full per-row report (CSV)."""

    capability = "voter.manage"

    def get(self, request, *args, **kwargs):
        return file_download(
            self.register_import.error_report, f"import-{self.register_import.pk}-report.csv"
        )


class FreezeView(CapabilityRequired, VotersView):
    """Freezing the final list (seed 003 item 13): GET is the confirmation page saying how many
    voters in how many precincts are fixed and what follows; POST with ``confirm=yes`` freezes."""

    capability = "voter.manage"
    template_name = "voters/freeze_confirm.html"

    def get_context_data(self, **kwargs):
        from django.utils.translation import ngettext

        ctx = super().get_context_data(**kwargs)
        counts = selectors.register_counts(self.election)
        listed, precincts = counts["entries"]["listed"], counts["precincts"]
        ctx["blockers"] = services.freeze_blockers(self.election)
        ctx["consequences"] = {
            "happens": [
                ngettext(
                    "The final list of %(n)s voter in %(p)s precinct(s) is fixed, with its SHA-256 in the audit log.",
                    "The final list of %(n)s voters in %(p)s precinct(s) is fixed, with its SHA-256 in the audit log.",
                    listed,
                )
                % {"n": listed, "p": precincts},
                _("Voting links can then be issued to the voters on the list who gave an e-mail."),
            ],
            "locked": [_("No more imports of the register; a change of the list needs a recorded decision.")],
            "told": [_("The precinct commissions see the final lists of their precincts.")],
        }
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Confirm the step on this page first: nothing was changed."))
            return redirect("voters:freeze", slug=self.election.slug)
        try:
            services.voter_list_freeze(election=self.election, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The final voter list is frozen."))
        return redirect("voters:lists", slug=self.election.slug)


class PrecinctListView(CapabilityRequired, PrecinctMixin, VotersView):
    """A precinct's list for its PEC and the secretariat (paginated, searchable)."""

    capability = "register.view"
    template_name = "voters/precinct_list.html"

    def get_context_data(self, **kwargs):

        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        page = Paginator(selectors.entries_of(self.precinct, query), 100).get_page(
            self.request.GET.get("page")
        )
        ctx.update(
            precinct=self.precinct,
            page=page,
            q=query,
            pec=selectors.pec_of(self.precinct),
            settings=selectors.voter_settings(self.election),
            can_change=can(self.request.user, "register.decide", selectors.precinct_scope(self.precinct)),
        )
        return ctx


class PrecinctPdfView(CapabilityRequired, PrecinctMixin, VotersView):
    """The printable list: served when already rendered for the current version of the list,
    otherwise its rendering is queued and the page reloads until it is ready."""

    capability = "register.view"
    template_name = "voters/precinct_pdf_wait.html"

    def get(self, request, *args, **kwargs):
        lang = (get_language() or "ru")[:2]
        name = stored_precinct_pdf(self.precinct, lang)
        if name is None:
            from .. import tasks

            # never fails nor hangs on a broker outage: the waiting page reloads and asks again
            queue_now(tasks.render_precinct_list, self.precinct.pk, lang)
            name = stored_precinct_pdf(self.precinct, lang)  # ready at once when tasks run eagerly
        if name is None:
            return self.render_to_response(self.get_context_data(precinct=self.precinct))
        try:
            handle = private_storage().open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle,
            content_type="application/pdf",
            filename=f"voter-list-{self.election.slug}-{self.precinct.number}.pdf",
        )


class EntryChangeView(CapabilityRequired, EntryMixin, VotersView):
    """A recorded change to an entry (a decision number is required once the list is frozen)."""

    capability = "register.decide"
    template_name = "voters/entry_change.html"

    def _initial(self):
        entry = self.entry
        return {
            "last_name": entry.last_name,
            "first_name": entry.first_name,
            "middle_name": entry.middle_name,
            "birth_date": entry.birth_date,
            "address": entry.address,
            "email": entry.email,
            "precinct_number": entry.precinct.number,
            "status": entry.status,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entry"] = self.entry
        ctx["changes"] = self.entry.changes.select_related("changed_by")[:20]
        ctx["settings"] = selectors.voter_settings(self.election)
        ctx.setdefault("form", EntryChangeForm(initial=self._initial()))
        return ctx

    def post(self, request, *args, **kwargs):
        form = EntryChangeForm(request.POST, initial=self._initial())
        if form.is_valid():
            data = dict(form.cleaned_data)
            number = data.pop("precinct_number")
            precinct = TerritorialUnit.objects.filter(
                election=self.election, kind=TerritorialUnit.Kind.PRECINCT, number=number
            ).first()
            if precinct is None:
                form.add_error("precinct_number", _("There is no precinct with this number."))
                return self.render_to_response(self.get_context_data(form=form))
            reason, decision_number = data.pop("reason"), data.pop("decision_number")
            changes = {f: v for f, v in data.items() if getattr(self.entry, f) != v}
            if precinct.pk != self.entry.precinct_id:
                changes["precinct"] = precinct
            try:
                services.register_entry_change(
                    entry=self.entry,
                    actor=request.user,
                    reason=reason,
                    decision_number=decision_number,
                    **changes,
                )
            except CommissionActionRefused as exc:
                return refusal_response(request, exc, self.election)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The change is recorded."))
                return redirect("voters:precinct_list", slug=self.election.slug, number=precinct.number)
        return self.render_to_response(self.get_context_data(form=form))


class CorrectionsView(CapabilityRequired, VotersView):
    """The Form 3 requests the user may decide."""

    capability = "register.decide"
    template_name = "voters/corrections.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["requests"] = selectors.corrections_for(self.request.user, self.election)
        return ctx


class CorrectionDecideView(CapabilityRequired, CorrectionMixin, VotersView):
    capability = "register.decide"
    template_name = "voters/correction_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["correction"] = self.correction
        ctx["decisions_open"] = services.correction_decisions_open(self.election)
        ctx.setdefault("form", DecisionForm())
        return ctx

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.correction_decide(
                    request=self.correction,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except CommissionActionRefused as exc:
                return refusal_response(request, exc, self.election)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("voters:corrections", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class CorrectionDocumentView(CapabilityRequired, CorrectionMixin, VotersView):
    """The document attached to a Form 3 request (private)."""

    capability = "register.decide"

    def get(self, request, *args, **kwargs):
        document = self.correction.document
        return file_download(document, f"form3-{self.correction.pk}{os.path.splitext(document.name)[1]}")
