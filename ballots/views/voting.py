"""The voter's pages: when voting is open, the invitation link, the ballot (review, confirm),
the receipt, and voting from the account. Views parse input and call one service."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can
from elections.views import ElectionContextMixin
from voters.models import VotingCredential
from voters.selectors import credential_for_token

from .. import selectors, services, tokens

SESSION_KEY = "ballot_credential"


class VotingInfoView(Public, ElectionContextMixin, TemplateView):
    """Public: when voting opens and closes (in the election's zone) and whether it is open now."""

    template_name = "ballots/voting_info.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["window"] = selectors.voting_window(self.election)
        ctx["can_manage"] = can(self.request.user, "contest.manage", self.election)
        ctx["can_observe"] = can(self.request.user, "dashboard.observe", self.election)
        ctx["can_enter_paper"] = can(self.request.user, "ballot.enter_paper", self.election)
        ctx["can_vote"] = can(self.request.user, "ballot.cast", self.election)
        contests = list(selectors.contests_of(self.election))
        for c in contests:  # the same check as PaperEntryView: the contest's own group
            c.can_enter_paper = ctx["can_enter_paper"] and can(
                self.request.user, "ballot.enter_paper", c.group or self.election
            )
        ctx["contests"] = contests
        return ctx


# --- the voter's ballot ------------------------------------------------------------------------


def start_session(request, credential) -> None:
    """Remember the voter's credential for this browser session; the link's token leaves the URL."""
    request.session[SESSION_KEY] = {
        "election": credential.election_id,
        "credential": credential.pk,
        "order_seed": secrets.token_hex(8),
    }
    request.session.cycle_key()


class LinkView(Public, ElectionContextMixin, TemplateView):
    """The invitation link: checks the token, then continues to the ballot without it in the URL."""

    template_name = "ballots/link_problem.html"

    def get(self, request, *args, **kwargs):

        credential = credential_for_token(self.election, kwargs["token"])
        if credential is None:
            return self.render_to_response(self.get_context_data(problem="unknown"), status=404)
        if credential.used_at is not None:
            return self.render_to_response(self.get_context_data(problem="used"))
        start_session(request, credential)
        return redirect("ballots:ballot", slug=self.election.slug)


_RECEIPT_URLS: dict[tuple[str, str], str] = {}


def _receipt_url(slug: str) -> str:
    """The receipt page's URL (in the active language), reversed once per process."""
    key = (get_language(), slug)
    url = _RECEIPT_URLS.get(key)
    if url is None:
        if len(_RECEIPT_URLS) > 1000:
            _RECEIPT_URLS.clear()
        url = _RECEIPT_URLS[key] = reverse("ballots:receipt", kwargs={"slug": slug})
    return url


RECEIPT_COOKIE = "ballot_receipt"  # signed by ballots.tokens


class _VoterMixin(ElectionContextMixin):
    def credential(self):
        data = self.request.session.get(SESSION_KEY) or {}
        if data.get("election") != self.election.pk:
            return None
        return selectors.voter_credential(self.election, data.get("credential"))

    def order_seed(self) -> str:
        return (self.request.session.get(SESSION_KEY) or {}).get("order_seed", "")


def ballot_form(request) -> MultiValueDict:
    """The ballot's POST fields. The ballot form is a handful of urlencoded fields: parsed here
    directly, within Django's limits on size and number of fields, they cost a third of what
    ``request.POST`` costs on the busiest request of an election. Anything else (another
    encoding, too many fields) goes through ``request.POST`` and its errors."""
    if request.content_type != "application/x-www-form-urlencoded":
        return request.POST
    try:
        fields = parse_qs(
            request.body.decode(request.encoding or settings.DEFAULT_CHARSET, errors="replace"),
            keep_blank_values=True,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:  # too many fields: request.POST raises Django's own error (400)
        return request.POST
    return MultiValueDict(fields)


def _csrf_rejection(request):
    """Django's CSRF check, for a ballot POST that carries no valid cast token."""
    from django.middleware.csrf import CsrfViewMiddleware

    return CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})


class BallotView(Public, _VoterMixin, TemplateView):
    """Fill in (GET), review (POST), confirm (POST with confirm=1) the ballot.

    The page's forms carry a cast token (``ballots.tokens``): a POST with a valid one reads neither
    the session nor the credential — casting is then the one statement of
    ``services.ballot_cast_by_ids`` — and the token stands in for Django's CSRF token (it is a
    synchronizer token bound to the session cookie; see ballots/tokens.py). A POST without a
    valid token is checked by Django's CSRF middleware logic and reads the session as before."""

    template_name = "ballots/ballot.html"

    @classmethod
    def as_view(cls, **initkwargs):
        # exempt once, here, rather than with method_decorator, which wraps dispatch anew with
        # every request
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        self.request, self.kwargs = request, kwargs
        self.token = None
        if request.method == "POST":
            self.form = ballot_form(request)
            self.token = self._verified_token(request, kwargs["slug"])
            if self.token is None and (rejected := _csrf_rejection(request)) is not None:
                return rejected
        if self.token is not None:
            self.cred = None
            self.contest = selectors.locked_contest(self.token.contest)
            return super().dispatch(request, *args, **kwargs)
        self.load_election()
        self.cred = self.credential()
        if self.cred is None:
            return self.render_to_response(self.get_context_data(problem="no_session"), status=403)
        if self.cred.used_at is not None:
            return self.render_to_response(self.get_context_data(problem="used"))
        self.contest = selectors.voting_contest(self.cred)
        if self.contest is None:
            return self.render_to_response(self.get_context_data(problem="no_contest"))
        return super().dispatch(request, *args, **kwargs)

    def _verified_token(self, request, slug):
        token = tokens.verify(
            self.form.get("cast_token", ""), session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        )
        if token is None:
            return None
        # Cached for a few seconds per process: the casting statement re-checks the stage and
        # the window in SQL, so a stale election cannot let a late ballot in.
        election = selectors.cast_election(slug)
        if election is None or election.pk != token.election:
            return None
        self.election = election
        timezone.activate(election.tz)
        return token

    def order_seed(self) -> str:
        return self.token.order_seed if self.token is not None else super().order_seed()

    def cast_token(self) -> str:
        if self.token is not None:
            return self.form["cast_token"]
        return tokens.issue(
            election_id=self.election.pk,
            credential_id=self.cred.pk,
            contest_id=self.contest.pk,
            order_seed=self.order_seed(),
            session_key=self.request.session.session_key or "",
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["window"] = selectors.voting_window(self.election)
        if getattr(self, "contest", None) is not None:
            ctx["contest"] = self.contest
            ctx["options"] = selectors.options_for_voter(self.contest, self.order_seed())
            ctx["cast_token"] = self.cast_token()
        return ctx

    def _choices(self) -> list[str]:
        if self.contest.is_ranked:
            ranked = []
            for option in self.contest.options.all():
                value = self.form.get(f"rank_{option.code}", "").strip()
                if value:
                    try:
                        ranked.append((int(value), option.code))
                    except ValueError:
                        raise ValidationError(_("A rank must be a number: 1, 2, 3…")) from None
            ranks = [r for r, _code in ranked]
            if sorted(ranks) != list(range(1, len(ranks) + 1)):
                raise ValidationError(_("Number your preferences 1, 2, 3… without gaps or repeats."))
            return [code for _rank, code in sorted(ranked)]
        return self.form.getlist("choice")

    def post(self, request, *args, **kwargs):
        try:
            choices = services.validate_choices(self.contest, self._choices())
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        if self.form.get("confirm") != "1":
            labels = {o.code: o for o in self.contest.options.all()}
            return self.render_to_response(
                self.get_context_data(review=[labels[c] for c in choices], choices=choices)
            )
        try:
            if self.token is not None:
                ballot = services.ballot_cast_by_ids(
                    election_id=self.election.pk,
                    credential_id=self.token.credential,
                    contest_id=self.token.contest,
                    choices=choices,
                )
            else:
                ballot = services.ballot_cast(credential=self.cred, choices=choices)
        except ValidationError as exc:
            if self.token is not None:  # show the refusal with the current stage, not the cached one
                selectors.forget_cast_elections()
                self.election = selectors.cast_election(self.election.slug) or self.election
            return self.render_to_response(self.get_context_data(errors=exc.messages, refused=True))
        # The receipt goes to the voter's browser only (a signed cookie for the receipt page), not
        # to the session: casting writes nothing but the ballot transaction.
        response = HttpResponseRedirect(_receipt_url(self.election.slug))
        _set_receipt_cookie(
            response,
            tokens.receipt_cookie_value(election_id=self.election.pk, receipt=ballot.receipt),
            path=response["Location"],
        )
        return response


def _set_receipt_cookie(response, value: str, *, path: str) -> None:
    response.set_cookie(
        RECEIPT_COOKIE,
        value,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    # Max-Age alone (no Expires date to format): the receipt page also checks the signed time
    response.cookies[RECEIPT_COOKIE]["max-age"] = tokens.RECEIPT_MAX_AGE


class ReceiptView(Public, ElectionContextMixin, TemplateView):
    """The receipt code after casting, from the signed cookie that only this page receives."""

    template_name = "ballots/receipt.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The cast set the cookie for the receipt page in the voter's language. The page in the
        # other languages is another path: the cookie goes there too, so that switching the
        # language here keeps the receipt on screen. (The cookie's value keeps its signed time.)
        here = request.path
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                path = reverse("ballots:receipt", kwargs={"slug": self.election.slug})
            if path != here:
                _set_receipt_cookie(response, request.COOKIES[RECEIPT_COOKIE], path=path)
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        receipt = tokens.receipt_from_cookie(
            self.request.COOKIES.get(RECEIPT_COOKIE, ""), election_id=self.election.pk
        )
        if receipt is None:
            raise Http404
        ctx["receipt"] = receipt
        ctx["window"] = selectors.voting_window(self.election)
        return ctx


class AccountVoteView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """A logged-in voter votes with the credential of their registration (no link needed)."""

    capability = "ballot.cast"
    template_name = "ballots/link_problem.html"

    def get(self, request, *args, **kwargs):

        credential = (
            VotingCredential.objects.filter(election=self.election, revoked_at__isnull=True)
            .filter(Q(registration__user=request.user))
            .first()
        )
        if credential is None:
            return self.render_to_response(self.get_context_data(problem="no_credential"))
        if credential.used_at is not None:  # voted from the account: there was no link to speak of
            return self.render_to_response(self.get_context_data(problem="voted"))
        start_session(request, credential)
        return redirect("ballots:ballot", slug=self.election.slug)
