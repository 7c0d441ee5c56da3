"""Forms of meetings: shape only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Meeting, MinutesSignature, Participant

SECRETARIAT = "secretariat"
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("Body that meets"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link to join online"),
        required=False,
        assume_scheme="https",
        help_text=_("Give the place, the link, or both."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One item per line, in the order they are taken."),
    )
    activity_number = forms.TypedChoiceField(
        label=_("Activity of the calendar plan"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The activity this meeting carries out; it is marked done when the meeting is held."),
    )
    announced_activity_number = forms.TypedChoiceField(
        label=_("Activity of announcing it"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "An activity of informing people of the meeting and its programme (for an assembly of "
            "voters); it is marked done when the meeting is scheduled."
        ),
    )
    observers_may_attend = forms.BooleanField(
        label=_("Observers may attend"),
        required=False,
        initial=True,
        help_text=_("The election's accredited observers see the meeting and may come."),
    )

    def __init__(self, *args, bodies, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("activity_number", "announced_activity_number"):
            self.fields[name].choices = [("", _("None"))] + [
                (a.number, f"{a.number}. {a.title}"[:150]) for a in activities
            ]
            self.fields[name].error_messages["invalid_choice"] = _(
                "The calendar plan of this election has no such activity."
            )
        self.bodies = {SECRETARIAT if body is None else str(body.pk): body for body in bodies}
        self.fields["body"].choices = [
            (key, _("Secretariat") if body is None else body.name) for key, body in self.bodies.items()
        ]
        self.fields["body"].error_messages["invalid_choice"] = _("You cannot schedule meetings of this body.")

    def cleaned(self) -> dict:
        data = dict(self.cleaned_data)
        data["commission"] = self.bodies[data.pop("body")]
        data["agenda"] = data["agenda"].splitlines()
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.choices = [
            (str(p.user_id), f"{p.user.get_full_name()} ({p.position_label})") for p in participants
        ]
        field.initial = [str(p.user_id) for p in participants if p.present]
        field.error_messages["invalid_choice"] = _(
            "Only the people invited to the meeting can be marked present."
        )


class InviteForm(forms.Form):
    people = forms.MultipleChoiceField(label=_("Invite"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.choices = [
            (str(user.pk), f"{user.get_full_name()} ({Participant.Role(role).label})") for user, role in offer
        ]
        field.error_messages["invalid_choice"] = _(
            "Only the election's candidates and observers can be invited here."
        )
        field.error_messages["required"] = _("Choose whom to invite.")


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason of the cancellation"), widget=forms.Textarea(attrs={"rows": 2}))


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label=_("Item"),
        max_length=500,
        required=False,
        help_text=_("What the item is about; when it decides something chosen below, it may stay empty."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of item"), choices=AgendaItem.Kind.choices, initial=AgendaItem.Kind.ITEM
    )
    subject = forms.ChoiceField(label=_("What it decides"), required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for subject in subjects:
            groups.setdefault(str(subject.group), []).append((subject.key, subject.label))
        self.fields["subject"].choices = [("", _("Nothing in the portal"))] + list(groups.items())
        self.fields["subject"].error_messages["invalid_choice"] = _(
            "Choose what the item decides from the list."
        )


class ItemMinutesForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("What was said and decided"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dissent = forms.CharField(
        label=_("Dissenting opinions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who disagreed with the decision and why, as they stated it."),
    )


class MinutesSignForm(forms.Form):
    role = forms.ChoiceField(label=_("I sign as"), choices=MinutesSignature.Role.choices)
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput,
        help_text=_("Re-enter the password you log in with: it is your signature."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I have read the minutes. Once the chair and the secretary have signed, nothing in them can change."
        ),
        error_messages={"required": _("Confirm that you have read the minutes.")},
    )
