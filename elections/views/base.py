"""View plumbing every app shares: the object named in the URL, the observers' read-only rule,
form errors from services and the refusal page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from accounts.permissions import is_read_only_observer

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ObjectLookupMixin:
    """The object named in the URL, looked up once in the election and kept as ``object_name``;
    capabilities are checked on ``permission_object_of(obj)`` (the object itself by default).

    Subclasses set ``object_name`` and write ``lookup(election)``."""

    object_name: str = "object"

    def lookup(self, election):
        raise NotImplementedError

    def permission_object_of(self, obj):
        return obj

    def get_permission_object(self):
        if not hasattr(self, self.object_name):
            setattr(self, self.object_name, self.lookup(self.load_election()))
        return self.permission_object_of(getattr(self, self.object_name))


class ObserversReadOnly:
    """Observers change nothing (issue 4, item 5): every write by an observer gets 403, whatever
    else the view allows (the public forms included)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS and is_read_only_observer(request.user, self.load_election()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def refusal_page(request, message, *, template: str, election=None, status: int = 403):
    """The page that says, in plain words, why an action is not allowed (yet)."""
    return render(request, template, {"election": election, "message": message}, status=status)
