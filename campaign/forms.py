"""Forms of the campaign: shape only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.forms import _VoteForm
from elections.documents import validate_document as check_document

from .models import FundEntry, Representative
from .models.funds import DonorKind

TEXTAREA = forms.Textarea(attrs={"rows": 2})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReceiveForm(forms.Form):
    principal = forms.ChoiceField(label=_("Represents"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Representative.Kind.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "A representative for the election or for financial matters gets an account at this address."
        ),
    )
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    received_at = forms.DateTimeField(
        label=_("Documents received at"),
        widget=DATETIME,
        help_text=_("The commission decides within two calendar days from then (calendar plan, item 15)."),
    )
    document = forms.FileField(label=_("Documents (a scan, PDF)"), required=False)

    def __init__(self, *args, principals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.principals = {key: obj for key, obj, _label in principals}
        self.fields["principal"].choices = [(key, label) for key, _obj, label in principals]
        self.fields["principal"].error_messages["invalid_choice"] = _(
            "Choose a party or candidate of this election."
        )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_document(upload)
        return upload


class DecideForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Needed to refuse or to cancel; the party or candidate reads them."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this is the commission's decision; it is numbered and cannot be undone."),
        error_messages={"required": _("Confirm the decision.")},
    )


class FundOpenForm(forms.Form):
    owner = forms.ChoiceField(label=_("Fund of"))
    bank = forms.CharField(label=_("Bank"), max_length=300)
    account = forms.CharField(label=_("Account number"), max_length=64)
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {key: obj for key, obj, _label in owners}
        self.fields["owner"].choices = [(key, label) for key, _obj, label in owners]


class EntryForm(forms.Form):
    direction = forms.ChoiceField(label=_("Money"), choices=FundEntry.Direction.choices)
    on_date = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, max_digits=14, decimal_places=2)
    counterparty = forms.CharField(
        label=_("From or to"),
        max_length=300,
        required=False,
        help_text=_("The donor, or whom the money was paid to."),
    )
    donor_kind = forms.ChoiceField(
        label=_("Donor"),
        required=False,
        choices=[("", "—")] + list(DonorKind.choices),
        help_text=_("For a contribution: who gave it."),
    )
    donor_id = forms.CharField(label=_("Donor's identification number"), max_length=32, required=False)
    purpose = forms.CharField(label=_("Purpose or payment document"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Rows as a CSV file"),
        help_text=_(
            "First line: direction,on_date,amount,counterparty,donor_kind,donor_id,purpose — "
            "direction is income or expense, the date as 2016-11-20."
        ),
    )


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The report is complete and true; once submitted it no longer changes."),
        error_messages={"required": _("Confirm the submission.")},
    )


class EntryDecisionForm(_VoteForm):
    verdict = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (FundEntry.Verdict.LAWFUL, FundEntry.Verdict.LAWFUL.label),
            (FundEntry.Verdict.RETURN, FundEntry.Verdict.RETURN.label),
            (FundEntry.Verdict.TO_BUDGET, FundEntry.Verdict.TO_BUDGET.label),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["verdict", "reasons", "decided_at"]


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("The commission's conclusion"), widget=TEXTAREA)
