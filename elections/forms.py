import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Election

COMMON_ZONES = ["Asia/Almaty", "Asia/Bishkek", "Asia/Tashkent", "Asia/Dushanbe", "Europe/Moscow", "UTC"]


def time_zone_choices():
    rest = sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in COMMON_ZONES)
    return [(z, z) for z in COMMON_ZONES] + [(z, z) for z in rest]


class ElectionForm(forms.ModelForm):
    """Shape only; the rules (what may change when) live in elections.services."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Deadlines and times of this election are shown and entered in this zone."),
    )

    class Meta:
        model = Election
        fields = [
            "title_ru",
            "title_en",
            "slug",
            "kind",
            "time_zone",
            "voting_day",
            "voting_starts_at",
            "voting_ends_at",
            "description_ru",
            "description_en",
        ]
        widgets = {
            "voting_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "voting_starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "voting_ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "voting_starts_at": _("In the election's time zone."),
            "voting_ends_at": _(
                "In the election's time zone. Ballots after this instant are refused and counted as late."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["time_zone"].initial = self.instance.time_zone
