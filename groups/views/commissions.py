"""Commissions and their members; a member's own page with the conflict-of-interest declaration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, LoginRequired, Public
from accounts.permissions import can

from .. import selectors, services
from ..forms import CoiDeclarationForm, CommissionForm, MemberEditForm, MemberInviteForm, MemberRemoveForm
from ..models import Commission
from ..work_selectors import trained_member_ids
from .base import CommissionObjectMixin, MemberObjectMixin, StructureView, form_errors_from


class CommissionFormView(StructureView):
    template_name = "groups/commission_form.html"

    def instance(self):
        return Commission(election=self.election)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CommissionForm(instance=self.instance())))

    def post(self, request, *args, **kwargs):
        form = CommissionForm(request.POST, instance=self.instance())
        if form.is_valid():
            try:
                commission = self.save(form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("groups:commission_detail", slug=self.election.slug, pk=commission.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CommissionCreateView(CapabilityRequired, CommissionFormView):
    capability = "commission.manage"

    def save(self, data):
        return services.commission_create(election=self.election, actor=self.request.user, **data)


class CommissionEditView(CapabilityRequired, CommissionObjectMixin, CommissionFormView):
    capability = "commission.manage"

    def instance(self):
        return Commission.objects.get(pk=self.commission.pk)

    def save(self, data):
        return services.commission_update(commission=self.commission, actor=self.request.user, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(commission=self.commission, **kwargs)


class CommissionDetailView(Public, StructureView):
    """Public: the commission, whom it serves, its subordinate commissions, members' names and
    positions (no contacts)."""

    template_name = "groups/commission_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        commission = selectors.commission_for(self.election, self.kwargs["pk"])
        user = self.request.user
        ctx["commission"] = commission
        if commission.kind == Commission.Kind.ORG_COMMITTEE:
            ctx["representatives"] = selectors.committee_members(commission)
        else:
            ctx["members"] = selectors.public_members(commission)
        ctx["children"] = commission.children.select_related("unit").order_by("name_ru")
        ctx["can_view_private"] = can(user, "group.view_private", commission)
        ctx["can_manage"] = can(user, "commission.manage", commission)
        return ctx


class CommissionMembersView(CapabilityRequired, CommissionObjectMixin, StructureView):
    """The members with e-mails, invitations and declarations: the secretariat, the commission
    itself and the organising-committee member of the group it serves."""

    capability = "group.view_private"
    template_name = "groups/commission_members.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["commission"] = self.commission
        ctx["members"] = selectors.private_members(self.request.user, self.commission)
        ctx["trained"] = trained_member_ids(self.commission)
        ctx["can_manage"] = can(self.request.user, "commission.manage", self.commission)
        return ctx


class MemberInviteView(CapabilityRequired, CommissionObjectMixin, StructureView):
    capability = "commission.manage"
    template_name = "groups/member_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(commission=self.commission, form=MemberInviteForm(), inviting=True)
        )

    def post(self, request, *args, **kwargs):
        form = MemberInviteForm(request.POST)
        if form.is_valid():
            try:
                member = services.member_invite(
                    commission=self.commission, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is added; the invitation goes to %(email)s.")
                    % {"name": member.user.get_full_name(), "email": member.user.email},
                )
                return redirect("groups:commission_members", slug=self.election.slug, pk=self.commission.pk)
        return self.render_to_response(
            self.get_context_data(commission=self.commission, form=form, inviting=True)
        )


class MemberEditView(CapabilityRequired, MemberObjectMixin, StructureView):
    capability = "commission.manage"
    template_name = "groups/member_form.html"

    def get(self, request, *args, **kwargs):
        form = MemberEditForm(
            initial={"position": self.member.position, "nominated_by": self.member.nominated_by}
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = MemberEditForm(request.POST)
        if form.is_valid():
            try:
                services.member_update(member=self.member, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect(
                    "groups:commission_members", slug=self.election.slug, pk=self.member.commission_id
                )
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, commission=self.member.commission, **kwargs)


class MemberRemoveView(MemberEditView):
    template_name = "groups/member_remove.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=MemberRemoveForm()))

    def post(self, request, *args, **kwargs):
        form = MemberRemoveForm(request.POST)
        if form.is_valid():
            try:
                services.member_remove(
                    member=self.member, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The membership has ended."))
                return redirect(
                    "groups:commission_members", slug=self.election.slug, pk=self.member.commission_id
                )
        return self.render_to_response(self.get_context_data(form=form))


class MyMembershipsView(LoginRequired, StructureView):
    """The user's own seats in this election's commissions, each with its declaration."""

    template_name = "groups/my_memberships.html"

    def get_context_data(self, forms=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        forms = forms or {}
        rows = []
        for member in selectors.memberships_of(self.request.user, self.election):
            rows.append(
                {
                    "member": member,
                    "text": member.coi_text or services.coi_declaration_text(member),
                    "form": forms.get(member.pk) or CoiDeclarationForm(prefix=f"m{member.pk}"),
                }
            )
        ctx["rows"] = rows
        return ctx


class MemberDeclareView(MyMembershipsView):
    """POST: the member signs the declaration of no conflict of interest."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = selectors.own_membership(request.user, self.election, self.kwargs["pk"])
        form = CoiDeclarationForm(request.POST, prefix=f"m{member.pk}")
        if form.is_valid():
            try:
                services.member_declare_coi(member=member, actor=request.user)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The declaration is signed. You may now act as a member."))
                return redirect("groups:my_memberships", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(forms={member.pk: form}))
