"""Public results (seed 000 item 24; seed 003 items 56 and 58): pages without login per election,
electoral group, district (council) and precinct; open data as CSV and JSON at stable addresses
with Last-Modified; subscription to the results mail (double opt-in).

Nothing here shows a figure before the election reaches the stage "published": the selectors in
``protocols.publication_selectors`` return nothing until then and the pages say when the results
will appear.
"""

from __future__ import annotations

import io
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import last_modified
from django.views.generic import TemplateView

from accounts.access import Public
from elections.models import Election
from elections.public_cache import PublicCached
from elections.spreadsheets import csv_dict_writer
from elections.views import ElectionContextMixin
from voters.ratelimit import hit

from .. import publication_selectors as ps
from ..services import publication as services

PUBLISHED_STATES = ps.PUBLISHED_STATES


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254)


class PublicResultsMixin(PublicCached, Public, ElectionContextMixin):
    """Common context: whether results are out, and when they will be if not."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        published = ps.is_published(self.election)
        ctx["is_published"] = published
        if published:
            ctx["published_at"] = ps.published_at(self.election)
        else:
            ctx["publication_activity"] = ps.publication_activity(self.election)
        return ctx


class ResultsView(PublicResultsMixin, TemplateView):
    """Public results of an election: every contest's official result with its numbers,
    percentages and their bases, the votes chart and turnout by region; shown only once the
    results are published."""

    template_name = "protocols/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        results = ps.election_results(self.election)
        ctx["results"] = results
        ctx["turnout"] = ps.turnout_by_region(self.election, results) if ctx["is_published"] else []
        ctx["turnout_chart"] = ps.turnout_chart(ctx["turnout"])
        ctx["is_ccm"] = self.election.kind == Election.Kind.CCM_NGO
        ctx["subscribe_form"] = SubscribeForm()
        return ctx


class GroupResultsView(PublicResultsMixin, TemplateView):
    """The published result of one electoral group (CCM): the group protocol's lines, votes per
    candidate, member and alternate."""

    template_name = "protocols/results_group.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"], ctx["results"] = ps.group_results(self.election, self.kwargs["group"])
        return ctx


class DistrictResultsView(PublicResultsMixin, TemplateView):
    """The published result of a council (district): the official result, the territorial summary
    and the data of every precinct protocol (seed 003 item 58)."""

    template_name = "protocols/results_district.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["district"], ctx["results"] = ps.district_results(self.election, self.kwargs["number"])
        return ctx


class PrecinctResultsView(PublicResultsMixin, TemplateView):
    """The published precinct protocol of one precinct."""

    template_name = "protocols/results_precinct.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["precinct"], ctx["protocols"] = ps.precinct_results(self.election, self.kwargs["number"])
        return ctx


class OpenDataView(PublicCached, Public, ElectionContextMixin, TemplateView):
    """Open data at stable addresses: the published results as CSV or JSON (no personal data),
    with Last-Modified = publication or the latest signed correction, and 304 for a conditional
    request. 404 until the results are published."""

    fmt = "json"

    def get(self, request, *args, **kwargs):
        if not ps.is_published(self.election):
            raise Http404(_("The results are not published yet."))
        changed = ps.last_modified(self.election)
        return last_modified(lambda req: changed)(self.render_data)(request)

    def render_data(self, request):
        from django.utils import translation

        election = self.election
        with translation.override("ru"):  # open data: Russian labels, whatever the URL prefix
            if self.fmt == "json":
                payload = ps.open_data(election)
                response = HttpResponse(
                    json.dumps(payload, ensure_ascii=False, indent=1, default=str),
                    content_type="application/json; charset=utf-8",
                )
            else:
                buffer = io.StringIO()
                writer = csv_dict_writer(buffer, ps.OPEN_DATA_COLUMNS)
                writer.writeheader()
                writer.writerows(ps.open_data_rows(election))
                response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'inline; filename="results-{election.slug}.csv"'
        response["Access-Control-Allow-Origin"] = "*"
        return response


class SubscribeView(Public, ElectionContextMixin, TemplateView):
    """Subscribe to the results mail: a confirmation link is mailed (double opt-in). The answer is
    the same whether or not the address was subscribed already."""

    template_name = "protocols/public/subscribe.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", SubscribeForm())
        return ctx

    def post(self, request, *args, **kwargs):

        form = SubscribeForm(request.POST)
        if not hit(request, "form"):
            return HttpResponse(_("Too many requests. Try again in a minute."), status=429)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.results_subscribe(
                election=self.election, email=form.cleaned_data["email"], language=get_language()
            )
        except ValidationError as e:
            form.add_error(None, e)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request,
            _("Check your mailbox: follow the link in the e-mail we sent to confirm the subscription."),
        )
        return redirect("protocols:results_subscribe", slug=self.election.slug)


class _TokenView(Public, ElectionContextMixin, TemplateView):
    """GET shows a button (so that a mail scanner following links changes nothing); POST acts."""

    action = ""

    def get_subscription(self):
        sub = services.subscription_by_token(self.kwargs["token"])
        if sub is None or (sub.election_id is not None and sub.election_id != self.election.pk):
            raise Http404
        return sub

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["subscription"] = self.get_subscription()
        return ctx


class ConfirmView(_TokenView):
    """Confirm a results subscription by the mailed link."""

    template_name = "protocols/public/confirm.html"

    def post(self, request, *args, **kwargs):
        self.get_subscription()
        sub = services.results_confirm(token=self.kwargs["token"])
        if sub is None:
            raise Http404
        messages.success(
            request, _("Subscription confirmed. We will mail you the results when they are published.")
        )
        return redirect("protocols:results", slug=self.election.slug)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(_TokenView):
    """Stop the results mail (the link is in every mail). POST also serves the mail clients'
    one-click unsubscribe (RFC 8058), which sends no CSRF token: the secret token in the address
    is the authorisation."""

    template_name = "protocols/public/unsubscribe.html"

    def post(self, request, *args, **kwargs):
        self.get_subscription()
        services.results_unsubscribe(token=self.kwargs["token"])
        messages.success(request, _("You are unsubscribed. No more results mail will be sent to you."))
        return redirect("protocols:results", slug=self.election.slug)


urlpatterns: list = [
    path("group/<slug:group>/", GroupResultsView.as_view(), name="results_group"),
    path("district/<int:number>/", DistrictResultsView.as_view(), name="results_district"),
    path("precinct/<int:number>/", PrecinctResultsView.as_view(), name="results_precinct"),
    path("open-data/results.csv", OpenDataView.as_view(fmt="csv"), name="open_data_csv"),
    path("open-data/results.json", OpenDataView.as_view(fmt="json"), name="open_data_json"),
    path("subscribe/", SubscribeView.as_view(), name="results_subscribe"),
    path("subscribe/confirm/<str:token>/", ConfirmView.as_view(), name="results_confirm"),
    path("unsubscribe/<str:token>/", UnsubscribeView.as_view(), name="results_unsubscribe"),
]
