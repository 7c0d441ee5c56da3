"""Translated error pages (the templates live in templates/errors/), and the answer to a database
outage: 503 with Retry-After instead of a 500 (issue 16)."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

#: what a database that is restarting, failing over or unreachable raises (psycopg2 and sqlite3
#: errors arrive wrapped in these by Django)
DATABASE_OUTAGE = (OperationalError, InterfaceError)


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After (DATABASE_UNAVAILABLE_RETRY_AFTER seconds) and the portal's plain error
    page. Rendered without context processors and without a query: the database is away."""
    retry_after = getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", 30)
    body = loader.get_template("errors/503.html").render({"request": request, "retry_after": retry_after})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that meets a database outage answers 503 with Retry-After, not
    500: the request can simply be tried again. Errors raised by other middleware reach
    ``server_error`` below, which answers the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_OUTAGE):
            logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None


def _caused_by_outage(exception) -> bool:
    """The exception, or one it was raised from or during, is a database outage: e.g. Django's
    "session was deleted" (400) when the session could not be saved because the database went
    away at the end of the request."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, DATABASE_OUTAGE):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def bad_request(request, exception=None):
    if _caused_by_outage(exception):
        logger.warning("database unavailable for %s %s: %r", request.method, request.path, exception)
        return database_unavailable(request)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the error may come from them. The template needs only i18n.
    if isinstance(sys.exc_info()[1], DATABASE_OUTAGE):  # e.g. the session could not be saved
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"request": request}))
