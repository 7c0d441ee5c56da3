"""Electoral groups and territorial units: public pages and the secretariat's screens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can

from .. import selectors, services
from ..forms import GroupForm, UnitForm, UnitImportForm
from ..models import ElectoralGroup, FileImport, TerritorialUnit
from ..services.file_imports import file_import_upload
from .base import GroupObjectMixin, StructureView, file_download, form_errors_from


class GroupListView(Public, StructureView):
    """Public: the electoral groups with their seats, the territorial units and the commissions."""

    template_name = "groups/group_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["groups"] = selectors.groups_of(self.election)
        ctx["commissions"] = selectors.commissions_of(self.election)
        ctx["unit_count"] = self.election.units.count()
        ctx["can_manage_groups"] = can(user, "group.manage", self.election)
        ctx["can_manage_commissions"] = can(user, "commission.manage", self.election)
        ctx["can_manage_units"] = can(user, "unit.manage", self.election)
        return ctx


class GroupFormView(StructureView):
    template_name = "groups/group_form.html"

    def instance(self):
        return ElectoralGroup(election=self.election)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=GroupForm(instance=self.instance())))

    def post(self, request, *args, **kwargs):
        form = GroupForm(request.POST, request.FILES, instance=self.instance())
        if form.is_valid():
            try:
                group = self.save(form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("groups:group_detail", slug=self.election.slug, group_slug=group.slug)
        return self.render_to_response(self.get_context_data(form=form))


class GroupCreateView(CapabilityRequired, GroupFormView):
    capability = "group.manage"

    def save(self, data):
        return services.group_create(election=self.election, actor=self.request.user, **data)


class GroupEditView(CapabilityRequired, GroupObjectMixin, GroupFormView):
    capability = "group.manage"

    def instance(self):
        return ElectoralGroup.objects.get(pk=self.group.pk)

    def save(self, data):
        return services.group_update(group=self.group, actor=self.request.user, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, **kwargs)


class GroupDetailView(Public, StructureView):
    """Public: a group's description, eligibility, seats, decision rule and regulations; its
    commissions' members and the representative's contacts only for those entitled."""

    template_name = "groups/group_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        group = selectors.group_for(self.election, self.kwargs["group_slug"])
        ctx["group"] = group
        ctx["commissions"] = group.commissions.all().order_by("kind")
        ctx["representative"] = selectors.representatives(self.election).filter(group=group).first()
        ctx["can_view_private"] = can(user, "group.view_private", group)
        ctx["private_commissions"] = selectors.group_commissions_with_members(user, group)
        ctx["can_edit"] = can(user, "group.manage", group)
        return ctx


class GroupRegulationsView(Public, StructureView):
    """Public: the group's election regulations (PDF)."""

    def get(self, request, *args, **kwargs):
        group = selectors.group_for(self.election, self.kwargs["group_slug"])
        return file_download(group.regulations, f"regulations-{group.slug}.pdf")


class UnitListView(Public, StructureView):
    """Public: districts and their precincts with addresses and the number of voters on the list
    (from the voter list where the portal has it, else the recorded estimate, marked)."""

    template_name = "groups/unit_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["districts"] = selectors.units_of(self.election)
        ctx["has_estimates"] = any(d.has_estimates for d in ctx["districts"])
        ctx["can_manage"] = can(self.request.user, "unit.manage", self.election)
        return ctx


class UnitFormView(CapabilityRequired, StructureView):
    capability = "unit.manage"
    template_name = "groups/unit_form.html"

    def instance(self):
        return TerritorialUnit(election=self.election)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=UnitForm(instance=self.instance())))

    def post(self, request, *args, **kwargs):
        form = UnitForm(request.POST, instance=self.instance())
        if form.is_valid():
            try:
                self.save(form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("groups:unit_list", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class UnitCreateView(UnitFormView):
    def save(self, data):
        return services.unit_create(election=self.election, actor=self.request.user, **data)


class UnitEditView(UnitFormView):
    def get_permission_object(self):
        self.unit = selectors.unit_for(self.load_election(), self.kwargs["pk"])
        return self.unit

    def instance(self):
        return TerritorialUnit.objects.get(pk=self.unit.pk)

    def save(self, data):
        data.pop("kind", None)
        return services.unit_update(unit=self.unit, actor=self.request.user, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)


class UnitImportView(CapabilityRequired, StructureView):
    """Import districts and precincts from CSV: the request stores the file, a task reads it
    (checked first, then all or nothing); ``?run=<id>`` shows the outcome, row by row."""

    capability = "unit.manage"
    template_name = "groups/unit_import.html"

    def get(self, request, *args, **kwargs):
        run = selectors.file_import_of(self.election, FileImport.Kind.UNITS, request.GET.get("run"))
        return self.render_to_response(self.get_context_data(form=UnitImportForm(), run=run))

    def post(self, request, *args, **kwargs):
        form = UnitImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = file_import_upload(
                    election=self.election,
                    kind=FileImport.Kind.UNITS,
                    file=form.cleaned_data["file"],
                    actor=request.user,
                    language=get_language() or "ru",
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect(f"{reverse('groups:unit_import', args=[self.election.slug])}?run={run.pk}")
        return self.render_to_response(self.get_context_data(form=form))
