"""The public bulletin board after the close, and live turnout (secretariat, observers)."""

from __future__ import annotations

from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from elections.public_cache import PublicCached
from elections.views import ElectionContextMixin

from .. import selectors, services

# --- public bulletin board -----------------------------------------------------------------------


class BoardView(PublicCached, Public, ElectionContextMixin, TemplateView):
    """After close: every receipt with its anonymised ballot, and the ballot set's fingerprint."""

    template_name = "ballots/board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        closed = selectors.is_after_close(self.election)
        ctx["closed"] = closed
        if not closed:
            return ctx
        # Closing voting mixes every waiting ballot; one that raced the close (or an election
        # closed by the clock before the secretariat's step) is mixed now, so that no receipt is
        # missing from the board.
        services.ballots_settle(election=self.election)
        ctx["contests"] = [
            {
                "contest": c,
                "rows": selectors.board_rows(c),
                "fingerprint": selectors.ballot_set_fingerprint(c),
                "formats": selectors.ballot_set_formats(c),
            }
            for c in selectors.contests_of(self.election)
        ]
        query = self.request.GET.get("receipt", "").strip()
        if query:
            from ..models import parse_receipt_code

            ctx["query"] = query
            ctx["malformed"] = parse_receipt_code(query) is None
            ctx["found"] = None if ctx["malformed"] else selectors.find_receipt(self.election, query)
        return ctx


# --- turnout (secretariat, observers) -------------------------------------------------------------


class TurnoutView(CapabilityRequired, ElectionContextMixin, TemplateView):
    """Live turnout by contest and channel (and region for group elections); never results."""

    capability = "dashboard.observe"
    template_name = "ballots/turnout.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.turnout(self.election)
        ctx["regions"] = selectors.turnout_by_region(self.election)
        ctx["window"] = selectors.voting_window(self.election)
        return ctx
