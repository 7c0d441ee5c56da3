"""Forms of candidates: shape only; the rules (window, permissions, deadlines, votes) live in
``candidates.services``."""

from __future__ import annotations

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.documents import validate_document as check_document
from elections.models import DecisionVote
from elections.selectors import calendar_of

from .files import validate_photo
from .models import (
    CONFIGURABLE_FIELDS,
    Application,
    CandidacySettings,
    FieldMode,
    Review,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
N = Application.Nomination


class ApplicationForm(forms.Form):
    """The application form; which fields it asks for is set per election."""

    nomination = forms.ChoiceField(label=_("Nomination"))
    contest = forms.ChoiceField(label=_("Group or district"), required=False)
    party_list = forms.TypedChoiceField(label=_("Party list"), required=False, coerce=int, empty_value=None)
    list_position = forms.IntegerField(
        label=_("Position on the list"), required=False, min_value=1, max_value=500
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("Candidate's e-mail"),
        required=False,
        help_text=_("The decision is sent to this address. For your own application it is your account's."),
    )
    nominated_by = forms.CharField(
        label=_("Nominated by"),
        max_length=300,
        required=False,
        help_text=_("The group, organisation or meeting that nominated the candidate, with the date."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    occupation = forms.CharField(label=_("Position or occupation"), max_length=300, required=False)
    region = forms.CharField(label=_("Region or place of residence"), max_length=300, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    programme = forms.CharField(
        label=_("Programme or statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Published with your name once you are registered; presented before the vote."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        validators=[validate_photo],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPEG or PNG, at most 5 MB; published once you are registered."),
    )
    document = forms.FileField(
        label=_("Signed application form"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    consent = forms.BooleanField(label=_("I agree to the processing of personal data (text below)."))

    def __init__(
        self, *args, settings: CandidacySettings, contests, nominations, party_lists, person, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.fields["nomination"].choices = [(n, N(n).label) for n in nominations]
        if len(nominations) == 1:
            self.fields["nomination"].initial = nominations[0]
        self.fields["contest"].choices = [("", "—")] + [(c.key, c.name) for c in contests]
        self.fields["party_list"].choices = [("", "—")] + [(p.pk, str(p)) for p in party_lists]
        if not party_lists:
            del self.fields["party_list"]
            del self.fields["list_position"]
        if N.ORGANISATION not in nominations:
            del self.fields["nominated_by"]
        if person is not None:  # applying for oneself only: the account gives name and e-mail
            self.fields["full_name"].initial = person.full_name
            del self.fields["email"]
        limit = settings.max_document_mb
        self.fields["document"].help_text = _(
            "The form printed from the announcement, signed and scanned: PDF, JPEG or PNG, at most %(mb)s MB. "
            "Its type is checked from its content, not its name."
        ) % {"mb": limit}
        for name, _label in CONFIGURABLE_FIELDS:
            mode = settings.field_mode(name)
            if mode == FieldMode.HIDDEN:
                del self.fields[name]
            elif mode == FieldMode.REQUIRED:
                self.fields[name].required = True

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_document(document, max_bytes=self.settings.max_document_mb * 1024 * 1024)
        return document

    def clean(self):
        data = super().clean()
        nomination = data.get("nomination")
        if nomination == N.PARTY_LIST:
            if not data.get("party_list"):
                self.add_error(
                    "party_list" if "party_list" in self.fields else None, _("Choose the party list.")
                )
            if not data.get("list_position") and "list_position" in self.fields:
                self.add_error("list_position", _("Give the candidate's position on the list."))
        elif nomination and not data.get("contest"):
            self.add_error("contest", _("Choose the group or the district the candidate stands in."))
        return data


class SettingsForm(forms.ModelForm):
    """The secretariat's settings; the form's fields get one "required / optional / not asked"
    choice each."""

    application_form = forms.FileField(
        label=_("Application form to download"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("The blank form candidates print, sign and upload; PDF, PNG or JPEG, at most 10 MB."),
    )

    class Meta:
        model = CandidacySettings
        fields = [
            "announcement_ru",
            "announcement_en",
            "announcement_kk",
            "announcement_ky",
            "criteria_ru",
            "criteria_en",
            "criteria_kk",
            "criteria_ky",
            "duties_ru",
            "duties_en",
            "duties_kk",
            "duties_ky",
            "application_form",
            "window_activity",
            "window_opens_activity",
            "party_list_window_activity",
            "decision_case_kind",
            "decision_activity",
            "withdrawal_activity",
            "cancellation_activity",
            "ballot_approval_activity",
            "allow_self",
            "allow_organisation",
            "allow_party_list",
            "max_document_mb",
            "publish_birth_year",
        ]
        widgets = {
            "announcement_ru": forms.Textarea(attrs={"rows": 6}),
            "announcement_en": forms.Textarea(attrs={"rows": 6}),
            "announcement_kk": forms.Textarea(attrs={"rows": 6}),
            "announcement_ky": forms.Textarea(attrs={"rows": 6}),
            "criteria_ru": TEXTAREA,
            "criteria_en": TEXTAREA,
            "criteria_kk": TEXTAREA,
            "criteria_ky": TEXTAREA,
            "duties_ru": TEXTAREA,
            "duties_en": TEXTAREA,
            "duties_kk": TEXTAREA,
            "duties_ky": TEXTAREA,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._case_kind_choices()
        for name, label in CONFIGURABLE_FIELDS:
            self.fields[f"mode_{name}"] = forms.ChoiceField(
                label=label, choices=FieldMode.choices, initial=self.instance.field_mode(name)
            )

    def _case_kind_choices(self):
        """The calendar's per-case rules by their names, never their keys."""
        from django.utils.translation import get_language

        ru = (get_language() or "ru").startswith("ru")
        kinds = {}
        election = getattr(self.instance, "election", None) if self.instance.election_id else None
        calendar = calendar_of(election) if election is not None else None
        if calendar is not None:
            kinds = {k: (v[0] if ru else v[1] or v[0]) for k, v in calendar.template_obj.case_kinds.items()}
        current = self.instance.decision_case_kind
        if current and current not in kinds:
            kinds[current] = (
                str(_("Application of a candidate")) if current == "candidate_application" else current
            )
        self.fields["decision_case_kind"] = forms.ChoiceField(
            label=self.fields["decision_case_kind"].label,
            choices=[("", _("— none: use the deadline below —")), *kinds.items()],
            required=False,
            help_text=_("The calendar's rule that gives each application its own decision deadline."),
        )

    def clean_application_form(self):
        upload = self.cleaned_data.get("application_form")
        if upload and not getattr(upload, "_committed", False):
            check_document(upload)
        return upload

    def service_fields(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["fields"] = {name: self.cleaned_data[f"mode_{name}"] for name, _label in CONFIGURABLE_FIELDS}
        return data


class CriterionForm(forms.Form):
    text_ru = forms.CharField(label=_("Criterion (Russian)"), max_length=500)
    text_en = forms.CharField(label=_("Criterion (English)"), max_length=500, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, widget=TEXTAREA)
    confirm = forms.BooleanField(label=_("I confirm the withdrawal; it cannot be undone."))


class PartyListForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("District"), coerce=int)
    party_name = forms.CharField(label=_("Party"), max_length=300)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, str(u)) for u in districts]


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=django_settings.LANGUAGES)


def _vote_fields(form, members):
    choices = [("absent", _("Absent"))] + list(DecisionVote.Vote.choices)
    form.member_fields = []
    for member in members:
        name = f"vote_{member.pk}"
        label = f"{member.user.get_full_name()} ({member.get_position_display()})"
        if member.coi_declared_at is None:
            label = _("%(member)s — has not signed the declaration") % {"member": label}
        form.fields[name] = forms.ChoiceField(label=label, choices=choices, initial="absent", required=False)
        form.member_fields.append(name)


class _VoteForm(forms.Form):
    decided_at = forms.DateTimeField(
        label=_("Date and time of the decision"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty means now."),
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=TEXTAREA)
    meeting = forms.ChoiceField(
        label=_("Taken at the meeting"),
        required=False,
        help_text=_(
            "A held meeting of the commission with its quorum: the decision goes into its minutes, and only "
            "the members present there vote."
        ),
    )

    def __init__(self, *args, members, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        _vote_fields(self, members)
        self.meetings = {str(m.pk): m for m in meetings}
        field = self.fields["meeting"]
        field.choices = [("", _("Not at a meeting"))] + [
            (key, f"{m.title}, {timezone.localtime(m.starts_at, m.election.tz):%d.%m.%Y %H:%M}")
            for key, m in self.meetings.items()
        ]
        field.error_messages["invalid_choice"] = _("Choose a held meeting of this commission.")
        if not self.meetings:
            del self.fields["meeting"]

    def chosen_meeting(self):
        return self.meetings.get(self.cleaned_data.get("meeting") or "")

    def votes(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): self.cleaned_data[name] or "absent" for name in self.member_fields
        }


class DecisionForm(_VoteForm):
    decision = forms.ChoiceField(
        label=_("Proposed decision"),
        choices=[
            ("admit", _("Register the candidate")),
            ("refuse", _("Refuse registration")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["decision", "reasons", "decided_at"]


class CancelForm(_VoteForm):
    field_order = ["reasons", "decided_at"]

    def clean_reasons(self):
        reasons = self.cleaned_data.get("reasons", "")
        if not reasons.strip():
            raise ValidationError(_("Give the reasons of the cancellation; the candidate will read them."))
        return reasons


class ReviewForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("Your recommendation"), choices=Review.Recommendation.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=TEXTAREA)

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {c.criterion_id: c for c in review.checks.all()} if review is not None else {}
        self.criteria = list(criteria)
        self.rows = []
        for criterion in self.criteria:
            met, comment = f"met_{criterion.pk}", f"note_{criterion.pk}"
            found = existing.get(criterion.pk)
            self.fields[met] = forms.ChoiceField(
                label=criterion.text,
                choices=[("yes", _("met")), ("no", _("not met"))],
                widget=forms.RadioSelect,
                initial=("yes" if found.is_met else "no") if found else None,
            )
            self.fields[comment] = forms.CharField(
                label=_("Comment"), required=False, max_length=500, initial=found.comment if found else ""
            )
            self.rows.append((met, comment))
        if review is not None:
            self.fields["recommendation"].initial = review.recommendation
            self.fields["comment"].initial = review.comment
        self.order_fields([name for pair in self.rows for name in pair] + ["recommendation", "comment"])

    def checks(self) -> dict[int, tuple[bool, str]]:
        return {
            c.pk: (self.cleaned_data[f"met_{c.pk}"] == "yes", self.cleaned_data.get(f"note_{c.pk}", ""))
            for c in self.criteria
        }
