"""The counting commission's paper entries: tallies, single ballots, recounts, and voters marked as
having voted at the assembly, on paper or by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from accounts.permissions import can
from elections.views import ElectionContextMixin

from .. import selectors, services
from ..forms import MarkVotedForm, PaperTallyForm
from ..models import Ballot, Contest

# --- paper ballots (counting commission) ----------------------------------------------------------


class PaperEntryView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """Enter paper/assembly/e-mailed ballots as batch totals (with double entry), one ballot at a
    time (needed for rankings), and mark voters who voted outside the portal."""

    capability = "ballot.enter_paper"
    template_name = "ballots/paper.html"

    def dispatch(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        self.load_election()
        self.contest = get_object_or_404(Contest, pk=kwargs["pk"], election=self.election)
        if not can(request.user, "ballot.enter_paper", self.contest.group or self.election):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        options = list(self.contest.options.all())
        ctx.update(
            contest=self.contest,
            options=options,
            batches=selectors.paper_batches(self.contest),
            can_order_recount=selectors.may_order_recount(self.request.user, self.contest),
            settings=selectors.voting_settings(self.election),
            late_attempts=selectors.late_attempts(self.contest),
        )
        ctx.setdefault(
            "tally_form", PaperTallyForm(options=options, assemblies=selectors.assemblies_of(self.contest))
        )
        ctx.setdefault("mark_form", MarkVotedForm())
        ctx["statuses"] = Ballot.Status.choices
        query = self.request.GET.get("query", "").strip()
        if query:
            ctx["matches"] = selectors.find_voters(self.contest, query)
            ctx["query"] = query
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        options = list(self.contest.options.all())
        try:
            if action == "tally":
                form = PaperTallyForm(
                    request.POST, options=options, assemblies=selectors.assemblies_of(self.contest)
                )
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(tally_form=form))
                services.paper_tally_enter(
                    contest=self.contest,
                    actor=request.user,
                    batch=form.cleaned_data["batch"],
                    counts=form.counts(),
                    blank=form.cleaned_data["blank"],
                    invalid=form.cleaned_data["invalid"],
                    invalid_reasons=form.cleaned_data["invalid_reasons"],
                    late=form.cleaned_data["late"],
                    channel=form.cleaned_data["channel"],
                    meeting=form.assembly(),
                )
                messages.success(request, _("The batch is entered."))
            elif action == "ballot":
                status = request.POST.get("status", Ballot.Status.VALID)
                if status not in Ballot.Status.values:
                    raise ValidationError(_("Choose whether the ballot is valid, invalid or late."))
                choices = request.POST.getlist("choice")
                if self.contest.is_ranked:
                    ranked = sorted(
                        (int(request.POST[f"rank_{o.code}"]), o.code)
                        for o in options
                        if request.POST.get(f"rank_{o.code}", "").strip().isdigit()
                    )
                    choices = [code for _r, code in ranked]
                services.paper_ballot_enter(
                    contest=self.contest,
                    actor=request.user,
                    choices=choices,
                    status=status,
                    invalid_reason=request.POST.get("invalid_reason", ""),
                    channel=request.POST.get("channel", "paper"),
                )
                messages.success(request, _("The ballot is entered."))
            elif action == "recount":
                if request.POST.get("confirm") != "yes":
                    raise ValidationError(
                        _("Tick the confirmation: the entries of the batch will no longer count.")
                    )
                services.paper_batch_recount_order(
                    contest=self.contest,
                    batch=request.POST.get("batch", ""),
                    actor=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    _("A recount of the batch is ordered: count its ballots again and enter the batch anew."),
                )
            elif action == "mark":
                voter = selectors.voter_by_key(self.contest, request.POST.get("voter", ""))
                if voter is None:
                    raise ValidationError(_("Choose the voter from the search results."))
                services.participation_record_offline(
                    contest=self.contest,
                    voter=voter,
                    channel=request.POST.get("channel", "assembly"),
                    actor=request.user,
                )
                messages.success(request, _("The voter is marked as having voted."))
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("Your role may not do this."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("ballots:paper", slug=self.election.slug, pk=self.contest.pk)
