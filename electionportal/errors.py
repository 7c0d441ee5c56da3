"""Translated error pages (the templates live in templates/errors/)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: the error may come from them. The template needs only i18n.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"request": request}))
