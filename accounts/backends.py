"""Authentication backends: django-axes' lockout check in front of Django's model backend."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login from an account or address locked out after repeated failures (django-axes;
    settings ``AXES_*``). Every login form of the portal passes its request; an ``authenticate()``
    without one (code, the test client) is not a login attempt from an address and is not counted."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
