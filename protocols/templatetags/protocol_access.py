"""Template filters that ask the same question as the protocol views, so a page links a protocol
only to those who may open it."""

from django import template

from .. import selectors
from ..models import Protocol

register = template.Library()


@register.filter
def readable_by(protocol, user) -> bool:
    """``{% if p|readable_by:user %}``: the check of ``ProtocolDetailView``."""
    if not protocol:
        return False
    if isinstance(protocol, dict):  # a row of a summary table: the protocol's values
        protocol = Protocol.objects.select_related("commission", "unit").filter(pk=protocol["id"]).first()
        if protocol is None:
            return False
    return selectors.may_read(user, protocol)
