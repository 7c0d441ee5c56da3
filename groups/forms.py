"""Forms of the electoral structure: shape only; the rules live in ``groups.services``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Position
from elections import textfiles

from .files import validate_document, validate_pdf
from .models import Commission, ElectoralGroup, ObserverApplication, TerritorialUnit
from .services.units import COLUMNS

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class GroupForm(forms.ModelForm):
    regulations = forms.FileField(
        label=_("Election regulations (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("The group's own regulations on elections, as a PDF of at most 10 MB."),
    )

    class Meta:
        model = ElectoralGroup
        fields = [
            "name_ru",
            "name_en",
            "name_kk",
            "name_ky",
            "slug",
            "description_ru",
            "description_en",
            "description_kk",
            "description_ky",
            "eligibility_ru",
            "eligibility_en",
            "eligibility_kk",
            "eligibility_ky",
            "seats_members",
            "seats_alternates",
            "decision_rule",
            "regulations",
            "order",
        ]
        widgets = {
            "description_ru": TEXTAREA,
            "description_en": TEXTAREA,
            "description_kk": TEXTAREA,
            "description_ky": TEXTAREA,
            "eligibility_ru": TEXTAREA,
            "eligibility_en": TEXTAREA,
            "eligibility_kk": TEXTAREA,
            "eligibility_ky": TEXTAREA,
        }
        help_texts = {"slug": _("Latin letters, digits and hyphens, e.g. plhiv.")}


class UnitForm(forms.ModelForm):
    class Meta:
        model = TerritorialUnit
        fields = [
            "kind",
            "number",
            "parent",
            "name_ru",
            "name_kk",
            "name_ky",
            "name_en",
            "address",
            "voters_on_list",
        ]
        help_texts = {"parent": _("For a precinct: the electoral district it lies in.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        districts = TerritorialUnit.objects.filter(
            election_id=self.instance.election_id, kind=TerritorialUnit.Kind.DISTRICT
        ).exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = districts
        if self.instance.pk:
            self.fields["kind"].disabled = True


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns (first row): %(columns)s. kind is “district” or “precinct”; a precinct gives "
            "its district's number in parent_number and its voters_on_list. Comma or semicolon, "
            "UTF-8 or Windows-1251. Existing numbers are updated. Nothing is imported while any row "
            "has an error."
        )
        % {"columns": ",".join(COLUMNS)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        return clean_import_size(self.cleaned_data["file"], "IMPORT_UNITS_MAX_MB", 5)


def clean_import_size(upload, setting: str, default_mb: int):
    """Refuse a file over its import's size limit (the setting, in MB) before anything reads it."""

    try:
        textfiles.check_size(upload.size, textfiles.setting_bytes(setting, default_mb))
    except textfiles.TextFileError as exc:
        raise forms.ValidationError(exc.message()) from None
    return upload


class CommissionForm(forms.ModelForm):
    class Meta:
        model = Commission
        fields = ["kind", "name_ru", "name_kk", "name_ky", "name_en", "parent", "group", "unit"]
        help_texts = {
            "parent": _("A precinct commission reports to a territorial one, a territorial to the CEC."),
            "group": _("For a mandate or counting commission: the group it serves."),
            "unit": _("For a territorial or precinct commission: its district or precinct."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        election_id = self.instance.election_id
        self.fields["parent"].queryset = Commission.objects.filter(election_id=election_id).exclude(
            pk=self.instance.pk
        )
        self.fields["group"].queryset = ElectoralGroup.objects.filter(election_id=election_id)
        self.fields["unit"].queryset = TerritorialUnit.objects.filter(election_id=election_id)


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices, initial=Position.MEMBER)
    nominated_by = forms.CharField(
        label=_("Nominated by"),
        max_length=300,
        required=False,
        help_text=_("The party, organisation or community that proposed the member."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )


class MemberEditForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    nominated_by = forms.CharField(label=_("Nominated by"), max_length=300, required=False)


class MemberRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)
    confirm = forms.BooleanField(label=_("Yes, end this membership"), required=True)


class CoiDeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the declaration above, it is true, and I sign it."), required=True
    )


class NominationForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Electoral group"), queryset=ElectoralGroup.objects.none())
    full_name = forms.CharField(label=_("Full name of the representative"), max_length=200)
    email = forms.EmailField(label=_("E-mail of the representative"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    group_decision = forms.CharField(
        label=_("How the group decided"),
        required=False,
        widget=TEXTAREA,
        help_text=_("E.g. “meeting of community leaders on 9 August, 14 of 17 votes”."),
    )
    decision_document = forms.FileField(
        label=_("The group's decision (document)"),
        required=False,
        validators=[validate_document],
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ElectoralGroup.objects.filter(election=election)


class NominationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("withdraw", _("Withdraw the representative")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)


class ObserverApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of observer"), choices=ObserverApplication.Kind.choices)
    applicant_type = forms.ChoiceField(
        label=_("Who applies"),
        choices=ObserverApplication.ApplicantType.choices,
        initial=ObserverApplication.ApplicantType.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"), max_length=300, help_text=_("Full name of the person, or the organisation's name.")
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        help_text=_("The organisation the person represents, if any."),
    )
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        help_text=_("The decision and the credential are sent here; never published."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    group = forms.ModelChoiceField(
        label=_("Electoral group observed"),
        queryset=ElectoralGroup.objects.none(),
        required=False,
        help_text=_("Leave empty to observe the whole election."),
    )
    document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        validators=[validate_document],
        help_text=_("A letter of the organisation or an identity document: PDF, PNG or JPEG, at most 10 MB."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name, kind of observer and organisation are published in the list of "
            "accredited observers."
        ),
        required=True,
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        groups = ElectoralGroup.objects.filter(election=election)
        if groups.exists():
            self.fields["group"].queryset = groups
        else:
            del self.fields["group"]


class ObserverDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accredit", _("Accredit")),
            ("refuse", _("Refuse")),
            ("revoke", _("Revoke the accreditation")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required to refuse or revoke; the applicant reads it."),
    )
    create_account = forms.BooleanField(
        label=_("Create a portal account for the observer's dashboard"), required=False, initial=True
    )

    #: the decisions open on an application in each status (a decided one offers none)
    OPEN = {"submitted": ("accredit", "refuse"), "accredited": ("revoke",)}

    def __init__(self, *args, status: str = "submitted", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        field.choices = [
            (value, label) for value, label in field.choices if value in self.OPEN.get(status, ())
        ]
        field.error_messages["invalid_choice"] = _(
            "This decision is not open any more: the application was decided in the meantime. Reload the page."
        )
        if status != "submitted":
            del self.fields["create_account"]
