from django.db.models import QuerySet

from .models import Commission, ElectoralGroup


def groups_of(election) -> QuerySet[ElectoralGroup]:
    return ElectoralGroup.objects.filter(election=election).order_by("order", "name_ru")


def commissions_of(election) -> QuerySet[Commission]:
    return (
        Commission.objects.filter(election=election)
        .select_related("group", "parent")
        .order_by("kind", "name_ru")
    )
