"""Forms of the voters area: shape only; the rules live in ``voters.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.files import validate_document
from groups.forms import clean_import_size

from .importer import COLUMNS
from .models import CorrectionRequest, RegisterEntry, VoterRegistration, VoterSettings
from .regions import REGIONS

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class _ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data as described above."), required=True
    )


class PersonRegistrationForm(_ConsentMixin):
    name = forms.CharField(label=_("Full name"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), help_text=_("A confirmation link is sent to this address."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—")] + REGIONS)
    organisation = forms.CharField(
        label=_("Organisation or community group"),
        max_length=300,
        required=False,
        help_text=_("The organisation or initiative group you belong to, if any."),
    )
    field_order = ["name", "email", "phone", "region", "organisation", "consent"]


class OrganisationRegistrationForm(_ConsentMixin):
    name = forms.CharField(label=_("Name of the organisation"), max_length=300)
    registration_number = forms.CharField(
        label=_("Registration number (BIN)"),
        max_length=50,
        help_text=_("The organisation is legally registered and has no collective membership."),
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—")] + REGIONS)
    representative_name = forms.CharField(label=_("Representative's full name"), max_length=200)
    email = forms.EmailField(
        label=_("Representative's e-mail"), help_text=_("A confirmation link is sent to this address.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    field_order = [
        "name",
        "registration_number",
        "region",
        "representative_name",
        "email",
        "phone",
        "consent",
    ]


REGISTRATION_FORMS = {
    VoterRegistration.Kind.PERSON: PersonRegistrationForm,
    VoterRegistration.Kind.ORGANISATION: OrganisationRegistrationForm,
}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required for a rejection; the voter will read it."),
    )


class VoterSettingsForm(forms.ModelForm):
    class Meta:
        model = VoterSettings
        fields = [
            "registration_activity",
            "registration_opens_at",
            "registration_closes_at",
            "corrections_activity",
            "corrections_open_at",
            "corrections_close_at",
        ]
        widgets = {
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
            "corrections_open_at": DATETIME,
            "corrections_close_at": DATETIME,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "registration_opens_at",
            "registration_closes_at",
            "corrections_open_at",
            "corrections_close_at",
        ):
            self.fields[name].input_formats = DATETIME_FORMATS


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register extract (CSV or XLSX)"),
        help_text=_(
            "Columns (first row): %(columns)s. middle_name and email may be empty. birth_date as "
            "YYYY-MM-DD or DD.MM.YYYY. CSV: comma or semicolon, UTF-8 or Windows-1251. The file is "
            "checked first; nothing is imported before you confirm."
        )
        % {"columns": ",".join(COLUMNS)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):

        return clean_import_size(self.cleaned_data["file"], "IMPORT_REGISTER_MAX_MB", 1024)


class ImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=[("all", "all"), ("valid_only", "valid_only")], widget=forms.HiddenInput)
    understood = forms.BooleanField(
        label=_("I understand that the rows with problems will not be imported."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == "valid_only" and not data.get("understood"):
            self.add_error("understood", _("Confirm that only the valid rows are imported."))
        return data


class LookupForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personal number (14 digits)"),
        max_length=14,
        min_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{14}"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_personal_number(self):
        value = self.cleaned_data["personal_number"].strip()
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("A personal number has exactly 14 digits."))
        return value


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("What is wrong"), choices=CorrectionRequest.Field.choices)
    requested_value = forms.CharField(
        label=_("The correct value"),
        max_length=300,
        help_text=_("For the date of birth: DD.MM.YYYY; for the precinct: its number."),
    )
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=TEXTAREA)
    contact_email = forms.EmailField(
        label=_("E-mail for the decision"),
        required=False,
        help_text=_("Optional: we send the decision there."),
    )
    document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        validators=[validate_document],
        help_text=_("Optional: PDF, PNG or JPEG, at most 10 MB."),
    )


class EntryChangeForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    email = forms.EmailField(label=_("E-mail"), required=False)
    precinct_number = forms.IntegerField(label=_("Precinct number"), min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=RegisterEntry.Status.choices)
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=100,
        required=False,
        help_text=_("Required once the final list is frozen."),
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class CredentialSearchForm(forms.Form):
    q = forms.CharField(label=_("E-mail"), required=False)
