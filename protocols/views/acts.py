"""Acts of hand-over: the election's acts, one act with both sides and the receiving side's
forms, its signed PDF; handing a signed protocol over from its page; handing a precinct's voter
list over (the CEC or the precinct's TEC)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections import signing
from elections.views import ElectionContextMixin
from groups.models import Commission, TerritorialUnit

from .. import acts_pdf
from .. import acts_selectors as sel
from ..acts_pdf import act_pdf_render
from ..models import HandoverAct, Protocol
from ..services import acts as services
from .protocol import _error_text

PASSWORD = forms.CharField(
    label=gettext_lazy("Your password"),
    widget=forms.PasswordInput,
    help_text=gettext_lazy("Re-enter the password you log in with: it is your signature on the act."),
)


class SignForm(forms.Form):
    password = PASSWORD
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked what is handed over, as the act lists it."),
        error_messages={"required": gettext_lazy("Confirm that you have checked what the act lists.")},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the receipt is refused"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "e.g. the seal is broken; the protocol's copy is missing. The handing commission reads it."
        ),
    )
    password = PASSWORD


class VoterListsForm(forms.Form):
    precinct = forms.TypedChoiceField(label=gettext_lazy("Precinct"), coerce=int)
    books = forms.IntegerField(label=gettext_lazy("Bound books"), min_value=1, initial=1)
    sheets = forms.IntegerField(
        label=gettext_lazy("Numbered sheets in all"),
        min_value=1,
        help_text=gettext_lazy("As numbered and bound under the seal."),
    )
    password = PASSWORD
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "The list is numbered, bound and sealed, and it is handed to the precinct commission now."
        ),
        error_messages={"required": gettext_lazy("Confirm the hand-over.")},
    )

    def __init__(self, *args, precincts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.precincts = {unit.pk: (unit, commission) for unit, commission in precincts}
        self.fields["precinct"].choices = [
            (unit.pk, f"№ {unit.number} — {unit.name}") for unit, _commission in precincts
        ]
        self.fields["precinct"].error_messages["invalid_choice"] = gettext_lazy(
            "Choose a precinct whose list your commission hands over."
        )


def _handing_precincts(user, election) -> list[tuple[TerritorialUnit, Commission]]:
    """The precincts whose voter list the user's commission (the CEC, or the precinct's TEC) may
    hand over, without a standing act yet."""
    mine = Commission.objects.filter(
        election=election,
        kind__in=(Commission.Kind.CEC, Commission.Kind.TEC),
        members__user=user,
        members__is_active=True,
    ).distinct()
    done = set(
        HandoverAct.objects.filter(election=election, kind=HandoverAct.Kind.VOTER_LISTS)
        .exclude(status=HandoverAct.Status.REFUSED)
        .values_list("unit_id", flat=True)
    )
    found: dict[int, tuple[TerritorialUnit, Commission]] = {}
    for commission in mine:
        if not can(user, "act.sign", commission):
            continue
        pecs = Commission.objects.filter(election=election, kind=Commission.Kind.PEC, unit__isnull=False)
        if commission.kind == Commission.Kind.TEC:
            pecs = pecs.filter(parent=commission)
        for pec in pecs.select_related("unit").order_by("unit__number"):
            if pec.unit_id not in done:
                found.setdefault(pec.unit_id, (pec.unit, commission))
    return sorted(found.values(), key=lambda pair: pair[0].number)


class ActListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "act.view"
    template_name = "protocols/acts/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in HandoverAct.Kind.values else ""
        ctx.update(
            acts=sel.acts_for(self.request.user, self.election, kind=kind),
            kind=kind,
            kinds=HandoverAct.Kind.choices,
        )
        precincts = _handing_precincts(self.request.user, self.election)
        if precincts:
            ctx.setdefault("lists_form", VoterListsForm(precincts=precincts))
        return ctx

    def post(self, request, *args, **kwargs):
        precincts = _handing_precincts(request.user, self.election)
        if not precincts:
            raise PermissionDenied
        form = VoterListsForm(request.POST, precincts=precincts)
        if form.is_valid():
            unit, commission = form.precincts[form.cleaned_data["precinct"]]
            try:
                act = services.voter_lists_hand_over(
                    unit=unit,
                    commission=commission,
                    actor=request.user,
                    password=form.cleaned_data["password"],
                    books=form.cleaned_data["books"],
                    sheets=form.cleaned_data["sheets"],
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Act № %(number)s is drawn up and signed by your side.") % {"number": act.number},
                )
                return redirect("protocols:act", slug=self.election.slug, pk=act.pk)
        return self.render_to_response(self.get_context_data(lists_form=form))


class ActMixin:
    def get_permission_object(self):
        if not hasattr(self, "act"):
            election = self.load_election()
            self.act = get_object_or_404(
                HandoverAct.objects.select_related(
                    "election", "from_commission", "to_commission", "protocol", "unit"
                ),
                pk=self.kwargs["pk"],
                election=election,
            )
            if not sel.may_see(self.request.user, self.act):
                raise Http404
        return self.act.election


class ActDetailView(CapabilityRequired, ActMixin, ElectionContextMixin, TemplateView):
    capability = "act.view"
    template_name = "protocols/acts/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        act = self.act
        ctx["act"] = act
        if sel.signable_by(self.request.user, act):
            ctx.setdefault("receive_form", SignForm())
            ctx.setdefault("refuse_form", RefuseForm())
        return ctx

    def post(self, request, *args, **kwargs):
        if not sel.signable_by(request.user, self.act):
            raise PermissionDenied
        refusing = request.POST.get("action") == "refuse"
        form = RefuseForm(request.POST) if refusing else SignForm(request.POST)
        if form.is_valid():
            try:
                if refusing:
                    services.act_refuse(
                        act=self.act,
                        actor=request.user,
                        password=form.cleaned_data["password"],
                        reason=form.cleaned_data["reason"],
                    )
                else:
                    services.act_receive(
                        act=self.act, actor=request.user, password=form.cleaned_data["password"]
                    )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("The receipt is refused; the handing commission draws up a new act.")
                    if refusing
                    else _("The receipt is signed."),
                )
                return redirect("protocols:act", slug=self.election.slug, pk=self.act.pk)
        key = "refuse_form" if refusing else "receive_form"
        return self.render_to_response(self.get_context_data(**{key: form}))


class ActPdfView(CapabilityRequired, ActMixin, ElectionContextMixin, View):
    """The act as a PDF signed with the portal's key (rendered on request: an act is one page)."""

    capability = "act.view"

    def get(self, request, *args, **kwargs):
        language = request.GET.get("lang") or request.LANGUAGE_CODE
        language = language if language in acts_pdf.LANGUAGES else "ru"
        content = act_pdf_render(self.act, language=language)
        try:
            content = signing.sign_pdf(content, reason="Act of hand-over, issued by Election Portal")
        except ImproperlyConfigured:
            # no signing key configured (a fresh checkout before make_signing_key): the act's data
            # is in the portal either way; the file says it is not digitally signed
            content = act_pdf_render(self.act, language=language, unsigned=True)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="act-{self.act.number}-{language}.pdf"'
        return response


class ProtocolHandOverView(CapabilityRequired, ElectionContextMixin, View):
    """POST from the protocol's page: a member of its commission hands it over and signs."""

    capability = "act.sign"
    http_method_names = ["post"]

    def get_permission_object(self):
        if not hasattr(self, "protocol"):
            self.protocol = get_object_or_404(
                Protocol.objects.select_related("commission"),
                pk=self.kwargs["pk"],
                election=self.load_election(),
            )
        return self.protocol.commission

    def post(self, request, *args, **kwargs):
        form = SignForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect("protocols:detail", slug=self.election.slug, pk=self.protocol.pk)
        try:
            act = services.protocol_hand_over(
                protocol=self.protocol, actor=request.user, password=form.cleaned_data["password"]
            )
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _error_text(exc))
            return redirect("protocols:detail", slug=self.election.slug, pk=self.protocol.pk)
        messages.success(
            request,
            _("Act № %(number)s is drawn up and signed by your side; %(to)s signs the receipt.")
            % {"number": act.number, "to": act.to_commission.name},
        )
        return redirect("protocols:act", slug=self.election.slug, pk=act.pk)


urlpatterns = [
    path("acts/", ActListView.as_view(), name="acts"),
    path("acts/<int:pk>/", ActDetailView.as_view(), name="act"),
    path("acts/<int:pk>/act.pdf", ActPdfView.as_view(), name="act_pdf"),
    path("protocols/<int:pk>/hand-over/", ProtocolHandOverView.as_view(), name="hand_over"),
]
