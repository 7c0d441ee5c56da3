import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Decision, Election

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

    official_languages = forms.MultipleChoiceField(
        label=_("Languages of the official copies"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Protocols, certificates, credentials, minutes and notices are issued in each chosen "
            "language; Russian always."
        ),
    )

    default_language = forms.ChoiceField(
        label=_("Language of the election"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The language of mails and invitations to voters who did not choose one (e.g. "
            "registrations collected on paper); everyone else gets the language they chose."
        ),
    )

    def clean_default_language(self):
        chosen = self.cleaned_data.get("default_language")
        return chosen or (self.instance.default_language if self.instance.pk else "ru")

    def clean_official_languages(self):
        chosen = set(self.cleaned_data.get("official_languages") or [])
        if not chosen and self.instance.pk and "official_languages" not in self.data:
            chosen = set(self.instance.official_languages or [])  # a form that does not show the field
        return [code for code, _name in settings.LANGUAGES if code in chosen | {"ru"}]

    class Meta:
        model = Election
        fields = [
            "title_ru",
            "title_kk",
            "title_ky",
            "title_en",
            "slug",
            "kind",
            "default_language",
            "official_languages",
            "time_zone",
            "voting_day",
            "voting_starts_at",
            "voting_ends_at",
            "description_ru",
            "description_kk",
            "description_ky",
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
            "description_kk": forms.Textarea(attrs={"rows": 4}),
            "description_ky": forms.Textarea(attrs={"rows": 4}),
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


# --- calendar plans ------------------------------------------------------------------------


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Calendar plan template"),
        queryset=None,
        help_text=_("The plan's activities and deadline rules are copied from the template."),
    )

    def __init__(self, *args, **kwargs):
        from .models import PlanTemplate

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = PlanTemplate.objects.order_by("slug")


def anchors_form_class(template):
    """A form with one field per anchor of the (engine) template, labelled in both languages."""
    from django.utils.translation import get_language

    fields = {}
    english = (get_language() or "ru").startswith("en")
    for spec in template.anchors:
        label = (spec.label_en if english else spec.label_ru) or spec.name
        help_text = ""
        if not spec.required:
            help_text = _("Optional.")
        if spec.type == "date":
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        elif spec.type == "datetime":
            field = forms.DateTimeField(
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            )
            help_text = (help_text + " " + str(_("In the election's time zone."))).strip()
        else:
            field = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
        field.label = label
        field.required = spec.required
        field.help_text = help_text
        fields[spec.name] = field
    fields["holidays"] = forms.CharField(
        label=_("Non-working days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date per line (YYYY-MM-DD); used by deadlines counted in working days."),
    )

    def clean_holidays(self):
        import datetime as dt

        days = []
        for n, line in enumerate(self.cleaned_data.get("holidays", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                days.append(dt.date.fromisoformat(line))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(value)s” is not a date like 2024-08-15.") % {"n": n, "value": line}
                ) from None
        return days

    fields["clean_holidays"] = clean_holidays
    return type("AnchorsForm", (forms.Form,), fields)


class ActivityCompleteForm(forms.Form):
    completed_at = forms.DateTimeField(
        label=_("Completed at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now. In the election's time zone."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB (e.g. the signed decision)."),
    )

    def clean_document(self):
        from .documents import validate_document

        document = self.cleaned_data.get("document")
        if document:
            validate_document(document)
        return document


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PlanTemplateForm(forms.Form):
    yaml_text = forms.CharField(
        label=_("Template (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_("The format is described in the portal's documentation (elections/calendar/README.md)."),
    )
    upload = forms.FileField(label=_("…or upload a YAML file"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            from . import textfiles

            try:  # the size before reading; UTF-8 (or UTF-16 with a BOM), any newline style
                data["yaml_text"] = textfiles.read_upload(
                    upload,
                    limit_bytes=textfiles.setting_bytes("IMPORT_TEMPLATE_MAX_MB", 2),
                    allow_cp1251=False,
                ).text
            except textfiles.TextFileError as exc:
                raise forms.ValidationError(exc.message()) from None
        if not data.get("yaml_text", "").strip():
            raise forms.ValidationError(_("Paste the template or upload a file."))
        return data


class DecisionFilterForm(forms.Form):
    """Which decisions to list: one body's, one kind of request (both optional)."""

    body = forms.ChoiceField(label=_("Body"), required=False)
    kind = forms.ChoiceField(label=_("Kind of request"), required=False)

    def __init__(self, *args, bodies: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("All bodies"))] + bodies
        self.fields["kind"].choices = [("", _("All requests"))] + list(Decision.Kind.choices)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _(
                "There is no such choice here; the whole list is shown."
            )
