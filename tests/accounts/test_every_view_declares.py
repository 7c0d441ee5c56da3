"""Every view declares what it needs: a capability, login, or that it is public."""

import re

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_portal_view_declares_its_permission():
    undeclared = []
    count = 0
    for route, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        if module.startswith("django.contrib.admin") or re.match(r"^(\w+/)?admin/", route):
            continue  # the admin site checks the secretariat capability itself
        view = getattr(callback, "view_class", callback)
        count += 1
        declared = (
            getattr(view, "public", False)
            or bool(getattr(view, "capability", None))
            or getattr(view, "login_required", False)
        )
        if not declared:
            undeclared.append(route)
    assert count >= 15
    assert undeclared == []
