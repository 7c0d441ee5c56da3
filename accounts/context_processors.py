from .permissions import can, can_anywhere


def navigation(request):
    """Flags the base template uses to build the role-aware navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"authenticated": False}}
    return {
        "nav": {
            "authenticated": True,
            "can_create_election": can(user, "election.create"),
            "can_admin": can(user, "admin.use"),
            "can_audit": can_anywhere(user, "audit.view"),
            "can_manage_templates": can(user, "calendar.manage"),
            "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        }
    }
