"""How views declare what they need (see ``accounts.permissions`` for the decision itself).

Class-based views mix in ``CapabilityRequired`` and set ``capability`` (and override
``get_permission_object`` when the check is about an election, group or commission), or mix in
``Public``. Function views use ``@capability_required`` or ``@public_view``. A view without a
declaration fails ``tests/accounts/test_every_view_declares.py``.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .permissions import can


def _deny(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


class Public:
    """Anyone, logged in or not, may open this view."""

    public = True
    capability = None


class LoginRequired:
    """Any logged-in user (their own account pages)."""

    public = False
    capability = None
    login_required = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class CapabilityRequired:
    """The user needs ``capability`` on ``self.get_permission_object()`` (portal-wide without one)."""

    public = False
    capability: str = ""

    def has_permission(self):
        # Deliberately no default get_permission_object() here: a mixin such as
        # ElectionContextMixin provides it wherever it stands in the MRO; without one the check
        # is about the portal as a whole.
        get_object = getattr(self, "get_permission_object", None)
        return can(self.request.user, self.capability, get_object() if get_object else None)

    def dispatch(self, request, *args, **kwargs):
        self.request = request
        self.args = args
        self.kwargs = kwargs
        if not self.capability:
            raise RuntimeError(f"{type(self).__name__} declares no capability")
        if not self.has_permission():
            return _deny(request)
        return super().dispatch(request, *args, **kwargs)


def capability_required(capability, get_object=None):
    """Decorator for function views; ``get_object(request, **kwargs)`` gives the checked object."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            obj = get_object(request, **kwargs) if get_object else None
            if not can(request.user, capability, obj):
                return _deny(request)
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        wrapper.public = False
        return wrapper

    return decorator


def public_view(view):
    view.public = True
    view.capability = None
    return view


def login_required_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.public = False
    wrapper.capability = None
    wrapper.login_required = True
    return wrapper
