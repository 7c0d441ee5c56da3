"""Public pages: the voters' landing page, finding one's own entry on the list and filing a
"Form 3" correction request (seed 003 items 11–12), and the invitation link's page."""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import Public
from accounts.permissions import can
from elections.models import Election

from .. import ratelimit, selectors, services
from ..forms import CorrectionForm, LookupForm
from ..models import RegisterEntry
from .base import VotersView, form_errors_from

logger = logging.getLogger("voters.lookup")

SESSION_KEY = "voters_checked_entry"
SESSION_SECONDS = 30 * 60


class VotersIndexView(Public, VotersView):
    """What the voters area offers in this election, by role."""

    template_name = "voters/index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["registration_window"] = selectors.registration_window(self.election)
        ctx["groups"] = [
            g for g in self.election.groups.order_by("order", "name_ru") if can(user, "voter.view_list", g)
        ]
        ctx["register_counts"] = selectors.register_counts(self.election)
        return ctx


def _found_entry(request, election: Election) -> RegisterEntry | None:
    data = request.session.get(SESSION_KEY) or {}
    if data.get("election") != election.pk or time.time() - data.get("at", 0) > SESSION_SECONDS:
        return None
    return (
        RegisterEntry.objects.filter(pk=data.get("entry"), election=election)
        .select_related("precinct")
        .first()
    )


class CheckView(Public, VotersView):
    """Public: find one's own entry by personal number *and* date of birth. The list cannot be
    browsed; lookups are limited per address (``VOTER_LOOKUP_RATE`` a minute) and logged only
    with a keyed hash of the number."""

    template_name = "voters/check.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=LookupForm()))

    def post(self, request, *args, **kwargs):
        form = LookupForm(request.POST)
        if not ratelimit.hit(request, "lookup"):
            ctx = self.get_context_data(form=form, rate_limited=True)
            return self.render_to_response(ctx, status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        number, birth_date = form.cleaned_data["personal_number"], form.cleaned_data["birth_date"]
        entry = selectors.register_lookup(self.election, number, birth_date)
        logger.info(
            "register lookup: election=%s number=%s found=%s",
            self.election.pk,
            selectors.lookup_digest(number),
            entry is not None,
        )
        if entry is None:
            request.session.pop(SESSION_KEY, None)
            return self.render_to_response(self.get_context_data(form=form, not_found=True))
        request.session[SESSION_KEY] = {"election": self.election.pk, "entry": entry.pk, "at": time.time()}
        try:
            services.check_corrections_open(self.election)
            corrections_refusal = ""
        except ValidationError as exc:
            corrections_refusal = " ".join(exc.messages)
        return self.render_to_response(
            self.get_context_data(
                form=LookupForm(),
                entry=entry,
                masked_name=selectors.mask_name(entry),
                corrections_refusal=corrections_refusal,
            )
        )


class CorrectionNewView(Public, VotersView):
    """Public: a Form 3 request about the entry found just before (kept in the session for 30
    minutes; nobody reaches an entry without its number and date of birth)."""

    template_name = "voters/correction_new.html"

    def _missing_entry(self):
        self.entry = _found_entry(self.request, self.election)
        if self.entry is None:
            messages.info(
                self.request, _("Find your entry first: enter your personal number and date of birth.")
            )
            return redirect("voters:check", slug=self.election.slug)
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entry"] = self.entry
        ctx["masked_name"] = selectors.mask_name(self.entry)
        return ctx

    def get(self, request, *args, **kwargs):
        return self._missing_entry() or self.render_to_response(self.get_context_data(form=CorrectionForm()))

    def post(self, request, *args, **kwargs):
        missing = self._missing_entry()
        if missing is not None:
            return missing
        form = CorrectionForm(request.POST, request.FILES)
        if not ratelimit.hit(request, "form"):
            return self.render_to_response(self.get_context_data(form=form, rate_limited=True), status=429)
        if form.is_valid():
            try:
                request_obj = services.correction_submit(
                    entry=self.entry,
                    actor=request.user,
                    language=(get_language() or "ru")[:2],
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your request No. %(number)s is submitted; the precinct election commission decides it."
                    )
                    % {"number": request_obj.pk},
                )
                return redirect("voters:check", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class InvitationView(Public, VotersView):
    """The link of a voting invitation. Until the voting issue leads it to the ballot, it tells
    the voter whether the link is valid and when voting opens; it never uses the credential."""

    template_name = "voters/invitation.html"

    def get(self, request, *args, **kwargs):
        credential = selectors.credential_for_token(self.election, self.kwargs["token"])
        status = 200 if credential is not None else 404
        return self.render_to_response(
            self.get_context_data(credential=credential, token=self.kwargs["token"]), status=status
        )
