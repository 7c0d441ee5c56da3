"""The ballot text of a contest (seed 003 item 39): the text as it will print, the responsible
commission, the deadline, the versions with their decisions, the proofs as PDFs, and the forms
with which the commission's chair, deputy or secretary records its decision to approve it or to
reopen it for a change."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from candidates.forms import _VoteForm
from elections.views import ElectionContextMixin
from groups.models import CommissionMember
from meetings.selectors import meetings_deciding

from .. import approval, services
from ..ballot_pdf import ballot_proof_render, languages
from ..models import BallotText, Contest


class ApproveForm(_VoteForm):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that this is the commission's decision: the ballot text is then locked."
        ),
        error_messages={"required": gettext_lazy("Confirm the decision.")},
    )
    field_order = ["reasons", "decided_at", "meeting"]


class ReopenForm(_VoteForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that this is the commission's decision to reopen the approved text."),
        error_messages={"required": gettext_lazy("Confirm the decision.")},
    )
    field_order = ["reasons", "decided_at", "meeting"]

    def clean_reasons(self):
        reasons = self.cleaned_data.get("reasons", "")
        if not reasons.strip():
            raise ValidationError(
                _("Give the reasons for reopening the approved text, e.g. the court's decision.")
            )
        return reasons


def _decision_dict(decision, election) -> dict:
    return {
        "number": decision.number,
        "date": timezone.localtime(decision.decided_at, election.tz).strftime("%d.%m.%Y"),
        "body": decision.body_name,
    }


class _ContestMixin(CapabilityRequired, ElectionContextMixin):
    capability = "ballot_text.view"

    def get_permission_object(self):
        election = self.load_election()
        if not hasattr(self, "contest"):
            self.contest = get_object_or_404(
                Contest.objects.select_related("election", "unit"), pk=self.kwargs["pk"], election=election
            )
        return election


class BallotTextView(_ContestMixin, TemplateView):
    template_name = "ballots/text.html"

    def commission(self):
        return approval.approving_commission(self.contest)

    def may_decide(self) -> bool:
        commission = self.commission()
        return (
            commission is not None
            and can(self.request.user, "ballot_text.approve", commission)
            and CommissionMember.objects.filter(
                commission=commission, user=self.request.user, is_active=True
            ).exists()
        )

    def _form(self, cls, data=None):
        commission = self.commission()
        members = list(
            CommissionMember.objects.filter(commission=commission, is_active=True)
            .select_related("user")
            .order_by("position", "user__full_name")
        )
        return cls(data, members=members, meetings=meetings_deciding(commission))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        contest = self.contest
        text = approval.current_text(contest)
        ctx.update(
            contest=contest,
            text=text,
            versions=approval.text_versions(contest),
            commission=self.commission(),
            activity=approval.activity(self.election),
            options=list(contest.options.order_by("position", "pk")),
            differs=approval.differs(contest),
            proof_languages=languages(),
        )
        if self.may_decide() and not contest.is_locked:
            if text is None and ctx["options"]:
                ctx.setdefault("approve_form", self._form(ApproveForm))
            if text is not None:
                ctx.setdefault("reopen_form", self._form(ReopenForm))
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.may_decide():
            raise PermissionDenied
        reopening = request.POST.get("action") == "reopen"
        form = self._form(ReopenForm if reopening else ApproveForm, request.POST)
        if form.is_valid():
            votes = dict(form.votes())
            service = services.ballot_text_reopen if reopening else services.ballot_text_approve
            try:
                result = service(
                    contest=self.contest,
                    actor=request.user,
                    votes=votes,
                    reasons=form.cleaned_data["reasons"],
                    decided_at=form.cleaned_data.get("decided_at"),
                    meeting=form.chosen_meeting() if "meeting" in form.fields else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("Your role may not do this."))
            else:
                decision = result if reopening else result[0]
                if not decision.is_adopted:
                    messages.warning(request, _("The decision was not adopted: nothing changed."))
                elif reopening:
                    messages.success(
                        request,
                        _("The approved text is reopened: the ballot may be changed and approved again."),
                    )
                else:
                    messages.success(
                        request,
                        _("The ballot text is approved by decision № %(number)s.")
                        % {"number": decision.number},
                    )
                return redirect("ballots:text", slug=self.election.slug, pk=self.contest.pk)
        key = "reopen_form" if reopening else "approve_form"
        return self.render_to_response(self.get_context_data(**{key: form}))


class BallotProofView(_ContestMixin, View):
    """The proof as a PDF: an approved version's text (``?version=N``) or the draft as it stands."""

    def get(self, request, *args, **kwargs):
        language = kwargs["language"]
        if language not in languages():
            raise Http404
        version = request.GET.get("version")
        if version:
            text = get_object_or_404(
                BallotText, contest=self.contest, version=version if version.isdigit() else 0
            )
            content = ballot_proof_render(
                text.content,
                language=language,
                version=text.version,
                decision=_decision_dict(text.decision, self.election),
                sha256=text.sha256,
            )
            name = f"ballot-{self.contest.pk}-v{text.version}-{language}.pdf"
        else:
            live = approval.text_content(self.contest)
            content = ballot_proof_render(live, language=language, sha256=approval.content_sha256(live))
            name = f"ballot-{self.contest.pk}-draft-{language}.pdf"
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
