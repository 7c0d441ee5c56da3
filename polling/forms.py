"""Forms of the ballot papers and the voting day: shape only, the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HomeVotingRequest, PollingSettings

TEXTAREA = forms.Textarea(attrs={"rows": 2})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _when(label, help_text=""):
    return forms.DateTimeField(
        label=label,
        widget=DATETIME,
        help_text=help_text,
        error_messages={
            "required": _("Give the date and time."),
            "invalid": _("Give the date and time, e.g. 11.12.2016 08:00."),
        },
    )


class NormsForm(forms.ModelForm):
    turnout_text = forms.CharField(
        label=_("Turnout is reported at"),
        required=False,
        help_text=_(
            "Hours and minutes separated by commas, e.g. 10:00, 12:00, 14:00, 16:00, 18:00, 20:00. Empty: every "
            "two hours after voting opens, and at the closing."
        ),
    )

    class Meta:
        model = PollingSettings
        fields = ["reserve_percent", "reserve_minimum", "numbered"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["turnout_text"].initial = ", ".join(self.instance.turnout_times or [])


class CalculateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why a new version"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Needed once a version has been ordered, e.g. a candidate's registration was cancelled."),
    )


class OrderForm(forms.Form):
    printing_house = forms.CharField(label=_("Printing house"), max_length=300)
    confirm = forms.BooleanField(
        label=_("I confirm the order: its numbers no longer change; a change needs a new version."),
        error_messages={"required": _("Confirm the order.")},
    )


class ProducedForm(forms.Form):
    produced_at = _when(_("Delivered to the central commission at"))
    confirm = forms.BooleanField(
        label=_("The ballots of this run were delivered and counted."),
        error_messages={"required": _("Confirm the delivery.")},
    )


def _members_field(members, label):
    return forms.MultipleChoiceField(
        label=label,
        choices=[(m.pk, f"{m.user.get_full_name()} ({m.get_position_display()})") for m in members],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick the members."),
            "invalid_choice": _("Choose members of this commission."),
        },
    )


class OpenForm(forms.Form):
    opened_at = _when(_("Voting opened at"))
    boxes_shown = forms.BooleanField(
        label=_("The empty ballot boxes were shown to everyone present and sealed."),
        required=False,
    )
    witnesses = forms.CharField(
        label=_("Observers and others present"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Names and whom they represent; if voting opened late, say why."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"] = _members_field(members, _("Members present"))


class TurnoutForm(forms.Form):
    time = forms.ChoiceField(label=_("As of"))
    voters = forms.IntegerField(
        label=_("Voters who have received a ballot"),
        min_value=0,
        help_text=_("Signatures on the voter list so far, voting out of the premises included."),
        error_messages={"min_value": _("Numbers cannot be negative."), "invalid": _("Enter a whole number.")},
    )
    correction_reason = forms.CharField(
        label=_("Reason for a correction"),
        required=False,
        max_length=300,
        help_text=_("Only when correcting a figure already reported."),
    )

    def __init__(self, *args, times=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time"].choices = [(t, t) for t in times]
        self.fields["time"].error_messages["invalid_choice"] = _(
            "Choose one of the hours the central commission set."
        )


class IncidentForm(forms.Form):
    occurred_at = _when(_("Time"))
    text = forms.CharField(label=_("What happened and what the commission did"), widget=TEXTAREA)


class CloseForm(forms.Form):
    closed_at = _when(_("Voting closed at"))
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)
    confirm = forms.BooleanField(
        label=_(
            "The last voter has voted and the unused ballots are cancelled: the closing cannot be changed."
        ),
        error_messages={"required": _("Confirm the closing.")},
    )

    def __init__(self, *args, contests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contest_fields = []
        for contest in contests:
            issued = f"issued_{contest.pk}"
            cancelled = f"cancelled_{contest.pk}"
            self.fields[issued] = forms.IntegerField(
                label=_("%(contest)s: ballots issued in the premises") % {"contest": contest.title},
                min_value=0,
                help_text=_("Count the voters' signatures on the list."),
            )
            self.fields[cancelled] = forms.IntegerField(
                label=_("%(contest)s: unused ballots counted and cancelled") % {"contest": contest.title},
                min_value=0,
                help_text=_("Including those the mobile ballot box brought back unused."),
            )
            self.contest_fields.append((contest, issued, cancelled))
        self.order_fields(
            ["closed_at"] + [n for _c, i, x in self.contest_fields for n in (i, x)] + ["note", "confirm"]
        )

    def counts(self) -> dict:
        return {
            str(c.pk): {"issued_premises": self.cleaned_data[i], "cancelled": self.cleaned_data[x]}
            for c, i, x in self.contest_fields
        }


class HomeRequestForm(forms.Form):
    voter_name = forms.CharField(label=_("Voter"), max_length=300)
    address = forms.CharField(label=_("Address where the voter is"), max_length=500)
    reason = forms.CharField(
        label=_("Why the voter cannot come"),
        max_length=300,
        help_text=_("e.g. illness, disability, caring for a patient"),
    )
    how = forms.ChoiceField(label=_("Request made"), choices=HomeVotingRequest.How.choices)
    received_at = _when(_("Received at"))


class MobileRunForm(forms.Form):
    box = forms.CharField(label=_("Mobile ballot box"), max_length=64, help_text=_("its number or seal"))
    left_at = _when(_("Left the premises at"))
    returned_at = _when(_("Returned at"))
    explanation = forms.CharField(
        label=_("Explanation of a difference"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Only when the ballots taken are not those issued plus those returned."),
    )

    def __init__(self, *args, members=(), requests=(), contests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"] = _members_field(members, _("Members who went (at least two)"))
        self.fields["requests"] = forms.MultipleChoiceField(
            help_text="" if requests else _("No request is waiting for the mobile ballot box."),
            label=_("Requests served"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(r.pk, f"№ {r.number} — {r.voter_name}, {r.address}") for r in requests],
            error_messages={"invalid_choice": _("Choose requests registered at this precinct.")},
        )
        self.contest_fields = []
        for contest in contests:
            names = []
            for key, label in (
                ("taken", _("ballots taken")),
                ("issued", _("issued to voters")),
                ("returned", _("returned unused")),
            ):
                name = f"{key}_{contest.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"{contest.title}: {label}",
                    min_value=0,
                    error_messages={
                        "min_value": _("Numbers cannot be negative."),
                        "invalid": _("Enter a whole number."),
                    },
                )
                names.append(name)
            self.contest_fields.append((contest, names))
        self.fields["confirm"] = forms.BooleanField(
            label=_("The members have counted these ballots: the run cannot be changed."),
            error_messages={"required": _("Confirm the run.")},
        )

    def counts(self) -> dict:
        return {
            str(c.pk): {
                k: self.cleaned_data[n] for k, n in zip(("taken", "issued", "returned"), names, strict=True)
            }
            for c, names in self.contest_fields
        }


class NotVotedForm(forms.Form):
    note = forms.CharField(label=_("Why the voter did not vote"), max_length=300)
