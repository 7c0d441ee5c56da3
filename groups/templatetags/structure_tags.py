from django import template

from accounts.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def capability(context, name, obj=None):
    """``{% capability "dashboard.observe" election as can_observe %}``: navigation only; views
    and services check again."""
    request = context.get("request")
    return bool(request is not None and can(request.user, name, obj))
