"""Protocol pages: the list of an election's protocols, one protocol's form with its control checks,
members present, signatures, versions and complaints; the public complaint form and the
commission's decisions. Views parse input and call one service."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can
from ballots.models import Contest
from elections.views import ElectionContextMixin
from groups.models import Commission, TerritorialUnit
from meetings.selectors import meetings_deciding
from voters.ratelimit import hit

from .. import acts_selectors, aggregation_selectors, forms_spec, selectors, ties
from ..models import Complaint, Protocol
from ..services import protocol as services


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Your role may not do this.")


class ProtocolListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """The election's protocols the user may read, and the ones the user's commissions may start."""

    capability = "protocol.view_draft"
    template_name = "protocols/protocol_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["protocols"] = selectors.protocols_visible_to(user, self.election)
        ctx["can_start"] = can(user, "protocol.prepare", self.election)
        ctx["startable"] = (
            selectors.commission_protocol_candidates(user, self.election) if ctx["can_start"] else []
        )
        ctx["complaints_open"] = Complaint.objects.filter(
            election=self.election, status=Complaint.Status.RECEIVED
        ).count()
        return ctx

    def post(self, request, *args, **kwargs):
        if not can(request.user, "protocol.prepare", self.election):
            raise PermissionDenied
        try:
            contest = get_object_or_404(Contest, pk=request.POST.get("contest"), election=self.election)
            commission = get_object_or_404(
                Commission, pk=request.POST.get("commission"), election=self.election
            )
            unit_id = request.POST.get("unit") or None
            unit = get_object_or_404(TerritorialUnit, pk=unit_id, election=self.election) if unit_id else None
            level = request.POST.get("level", "")
            if level not in Protocol.Level.values:
                raise ValidationError(_("Unknown kind of protocol."))
            protocol = services.protocol_create(
                contest=contest, level=level, commission=commission, unit=unit, actor=request.user
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("protocols:list", slug=self.election.slug)
        messages.success(request, _("The draft protocol is ready: check the figures the portal filled in."))
        return redirect("protocols:detail", slug=self.election.slug, pk=protocol.pk)


class ProtocolDetailView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """One protocol: figures (pre-filled values shown beside), control checks next to the form,
    members present, signing with the password, versions and complaints."""

    capability = "protocol.view_draft"
    template_name = "protocols/protocol_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        self.load_election()
        self.protocol = get_object_or_404(
            Protocol.objects.select_related("contest", "commission", "unit", "supersedes"),
            pk=kwargs["pk"],
            election=self.election,
        )
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self):
        return selectors.may_read(self.request.user, self.protocol)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p, user = self.protocol, self.request.user
        checks = selectors.protocol_checks(p)
        signatures = list(p.signatures.select_related("member"))
        signed_members = {s.member_id for s in signatures}
        present = list(p.present_members.select_related("user"))
        my_member = next((m for m in present if m.user_id == user.pk), None)
        ctx.update(
            protocol=p,
            stale_reason=(
                aggregation_selectors.stale_text(p)
                if p.status != Protocol.Status.SUPERSEDED and aggregation_selectors.sources_changed(p)
                else ""
            ),
            lines=selectors.line_rows(p),
            options=selectors.option_rows(p),
            checks=checks,
            blocking=[c for c in checks if c.is_blocking],
            signatures=signatures,
            present=present,
            all_members=list(p.commission.members.filter(is_active=True).select_related("user")),
            present_ids={m.pk for m in present},
            waiting=[m for m in present if m.pk not in signed_members],
            history=selectors.protocol_history(p),
            complaints=list(p.complaints.select_related("decision")),
            documents=list(p.documents.all()),
            can_edit=p.status == Protocol.Status.DRAFT and can(user, "protocol.prepare", p),
            can_prepare=can(user, "protocol.prepare", p),
            can_sign=(
                p.status in (Protocol.Status.DRAFT, Protocol.Status.SIGNING)
                and my_member is not None
                and my_member.pk not in signed_members
                and can(user, "protocol.sign", p)
            ),
            is_group=p.level == forms_spec.GROUP,
            tie_rows=ties.tie_rows(p),
            tie_rule=ties.rule_text(p.contest),
            tie_open=ties.has_unresolved_tie(p),
            can_decide_tie=p.status == Protocol.Status.DRAFT and can(user, "protocol.prepare", p),
            acts=[a for a in acts_selectors.acts_of_protocol(p) if acts_selectors.may_see(user, a)],
            may_hand_over=acts_selectors.may_hand_over(user, p),
            receiver=acts_selectors.receiver_of(p),
        )
        return ctx

    def _numbers(self, prefix: str) -> dict:
        return {
            key[len(prefix) :]: value.strip()
            for key, value in self.request.POST.items()
            if key.startswith(prefix) and value.strip() != ""
        }

    def post(self, request, *args, **kwargs):
        p, action = self.protocol, request.POST.get("action")
        if not (can(request.user, "protocol.prepare", p) or can(request.user, "protocol.sign", p)):
            raise PermissionDenied  # readers (observers) change nothing
        try:
            if action == "save":
                kwargs = {
                    "figures": self._numbers("fig_"),
                    "votes": self._numbers("vote_"),
                    "explanations": self._numbers("expl_"),
                    "present_member_ids": [int(x) for x in request.POST.getlist("present") if x.isdigit()],
                }
                if p.level == forms_spec.GROUP:
                    kwargs.update(
                        process_description=request.POST.get("process_description", ""),
                        observers_note=request.POST.get("observers_note", ""),
                        decision_text=request.POST.get("decision_text", ""),
                    )
                services.protocol_update(protocol=p, actor=request.user, **kwargs)
                messages.success(request, _("The protocol is saved."))
            elif action == "sign":
                signature = services.protocol_sign(
                    protocol=p,
                    actor=request.user,
                    password=request.POST.get("password", ""),
                    dissent=request.POST.get("dissent", ""),
                )
                signature.protocol.refresh_from_db()
                if signature.protocol.status == Protocol.Status.SIGNED:
                    messages.success(
                        request, _("You signed. All present members have signed: the protocol is final.")
                    )
                else:
                    messages.success(request, _("You signed the protocol."))
            elif action == "cancel_signing":
                services.protocol_signing_cancel(
                    protocol=p, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The signatures are withdrawn; the draft can be changed."))
            elif action == "correct":
                if request.POST.get("confirm") != "1":
                    raise ValidationError(_("Tick the confirmation to start a corrected version."))
                new = services.protocol_correct(
                    protocol=p, actor=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Version %(n)s is started as a correction.") % {"n": new.version})
                return redirect("protocols:detail", slug=self.election.slug, pk=new.pk)
            else:
                raise ValidationError(_("Unknown action."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return redirect("protocols:detail", slug=self.election.slug, pk=p.pk)


# --- complaints -------------------------------------------------------------------------------


class ComplaintForm(forms.Form):
    commission = forms.ModelChoiceField(
        label=gettext_lazy("Commission you complain to"),
        queryset=Commission.objects.none(),
        help_text=gettext_lazy("The commission that decides: usually the one of your precinct or group."),
    )
    complainant_kind = forms.ChoiceField(label=gettext_lazy("You are"), choices=Complaint.Kind.choices)
    complainant_name = forms.CharField(
        label=gettext_lazy("Your name or the organisation's name"), max_length=300
    )
    complainant_email = forms.EmailField(
        label=gettext_lazy("E-mail for the answer"),
        required=False,
        help_text=gettext_lazy("Optional; the decision is also attached to the protocol."),
    )
    text = forms.CharField(
        label=gettext_lazy("What happened and what you ask for"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=gettext_lazy("Say where and when it happened and who saw it."),
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = Commission.objects.filter(election=election).exclude(
            kind=Commission.Kind.ORG_COMMITTEE
        )


class ComplaintCreateView(Public, ElectionContextMixin, TemplateView):
    """A complaint by a voter, candidate or observer (seed 003 items 49, 52–53). No login needed."""

    template_name = "protocols/complaint_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", ComplaintForm(election=self.election))
        return ctx

    def post(self, request, *args, **kwargs):

        form = ComplaintForm(request.POST, election=self.election)
        if not hit(request, "form"):  # a public form: the per-address limit of the voters' forms
            form.add_error(None, _("Too many submissions from your address. Try again in a minute."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            complaint = services.complaint_submit(
                election=self.election, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Your complaint is registered as № %(n)s. The commission decides and records its decision.")
            % {"n": complaint.number},
        )
        return redirect("protocols:complaint_new", slug=self.election.slug)


class ComplaintListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """Complaints of the election with the commissions' decisions; members decide here."""

    capability = "protocol.view_draft"
    template_name = "protocols/complaints.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for complaint in selectors.complaints_of(self.election):
            if not can(user, "protocol.view_draft", complaint):
                continue
            can_decide = can(user, "complaint.decide", complaint)
            rows.append(
                {
                    "complaint": complaint,
                    "can_decide": can_decide,
                    "meetings": meetings_deciding(complaint.commission) if can_decide else [],
                }
            )
        ctx["rows"] = rows
        ctx["statuses"] = [
            (v, label) for v, label in Complaint.Status.choices if v != Complaint.Status.RECEIVED
        ]
        return ctx

    def post(self, request, *args, **kwargs):
        complaint = Complaint.objects.filter(election=self.election, pk=request.POST.get("complaint")).first()
        if complaint is None:
            raise Http404
        if not can(request.user, "complaint.decide", complaint):
            raise PermissionDenied
        meeting = None
        if request.POST.get("meeting"):
            meeting = next(
                (m for m in meetings_deciding(complaint.commission) if str(m.pk) == request.POST["meeting"]),
                None,
            )
            if meeting is None:
                messages.error(request, _("Choose a held meeting of this commission."))
                return redirect("protocols:complaints", slug=self.election.slug)
        try:
            services.complaint_decide(
                complaint=complaint,
                actor=request.user,
                status=request.POST.get("status", ""),
                decision_text=request.POST.get("decision_text", ""),
                meeting=meeting,
            )
            messages.success(request, _("The decision is recorded."))
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        return redirect("protocols:complaints", slug=self.election.slug)


urlpatterns = [
    path("protocols/", ProtocolListView.as_view(), name="list"),
    path("protocols/<int:pk>/", ProtocolDetailView.as_view(), name="detail"),
    path("complaints/", ComplaintListView.as_view(), name="complaints"),
    path("complaints/new/", ComplaintCreateView.as_view(), name="complaint_new"),
]
