from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import ElectoralGroup, TerritorialUnit

from .models import Channel, Contest


class ContestForm(forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "title_ru",
            "title_en",
            "title_kk",
            "title_ky",
            "group",
            "unit",
            "method",
            "seats",
            "alternates",
            "max_choices",
            "threshold_percent",
            "threshold_base",
            "option_order",
            "has_against_all",
            "allows_blank",
            "tie_rule",
        ]
        help_texts = {
            "group": _("For elections by groups (CCM): the group whose seats this ballot decides."),
            "unit": _("For council elections: the electoral district."),
            "option_order": _("Alphabetical, or a random order drawn for each voter (against order bias)."),
        }

    #: fields a group's ballot takes from the group (its decision rule and seats)
    FROM_GROUP = ("method", "seats", "alternates")

    def __init__(self, *args, election=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["group"].queryset = ElectoralGroup.objects.filter(election=election)
        self.fields["unit"].queryset = TerritorialUnit.objects.filter(election=election, kind="district")
        # the browser's hints; the model's clean() gives the plain reasons
        self.fields["seats"].widget.attrs["min"] = 1
        self.fields["max_choices"].widget.attrs["min"] = 1
        self.fields["threshold_percent"].widget.attrs.update(min=0, max=100)
        for name in self.FROM_GROUP:
            self.fields[name].help_text = _(
                "For a group's ballot this follows the group's decision rule and seats: change them on "
                "the group's page."
            )
        instance = self.instance
        if instance is not None and instance.pk and instance.group_id:
            # a group's ballot: the group is the one source of its rule and seats
            self.fields["group"].disabled = True
            self.fields["unit"].disabled = True
            for name in self.FROM_GROUP:
                self.fields[name].disabled = True
        if instance is None or not instance.pk:
            self.fields["tie_rule"].help_text = _(
                "Who settles a tie for a seat or a place. For a group: the commission, as the group's "
                "regulations say. For a council: the rule of the law (a lot drawn by the commission "
                "unless the law names another)."
            )

    def clean(self):
        data = super().clean()
        group = data.get("group")
        if group is not None:
            data["method"] = group.decision_rule
            data["seats"] = group.seats_members
            data["alternates"] = group.seats_alternates
        return data


class PaperTallyForm(forms.Form):
    batch = forms.CharField(label=_("Batch"), max_length=64, help_text=_("e.g. the box or envelope number"))
    channel = forms.ChoiceField(
        label=_("How the ballots were cast"),
        choices=[
            (Channel.PAPER, Channel.PAPER.label),
            (Channel.ASSEMBLY, Channel.ASSEMBLY.label),
            (Channel.EMAIL, Channel.EMAIL.label),
        ],
    )
    blank = forms.IntegerField(label=_("Blank ballots"), min_value=0, initial=0)
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0, initial=0)
    invalid_reasons = forms.CharField(
        label=_("Why invalid"),
        required=False,
        help_text=_("e.g. more marks than allowed; no mark of the voter's choice"),
    )
    late = forms.IntegerField(label=_("Late ballots (received after close)"), min_value=0, initial=0)
    meeting = forms.TypedChoiceField(
        label=_("Assembly of voters"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For ballots cast at the assembly: which assembly; its page then lists them."),
    )

    def __init__(self, *args, options=(), assemblies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assemblies = {m.pk: m for m in assemblies}
        if assemblies:
            self.fields["meeting"].choices = [("", _("Not at an assembly"))] + [
                (m.pk, f"{m.title}, {m.starts_at:%d.%m.%Y}") for m in assemblies
            ]
            self.fields["meeting"].error_messages["invalid_choice"] = _(
                "Choose an assembly of voters of this election that was not cancelled."
            )
        else:
            del self.fields["meeting"]
        self.option_fields = []
        for option in options:
            name = f"option_{option.code}"
            self.fields[name] = forms.IntegerField(label=option.label, min_value=0, initial=0)
            self.option_fields.append((name, option))

    def counts(self) -> dict[str, int]:
        return {option.code: self.cleaned_data[name] for name, option in self.option_fields}

    def assembly(self):
        return self.assemblies.get(self.cleaned_data.get("meeting"))


class MarkVotedForm(forms.Form):
    query = forms.CharField(label=_("Voter"), help_text=_("Name, e-mail or personal number"), required=False)
    channel = forms.ChoiceField(
        label=_("Voted"),
        choices=[
            (Channel.ASSEMBLY, Channel.ASSEMBLY.label),
            (Channel.PAPER, Channel.PAPER.label),
            (Channel.EMAIL, Channel.EMAIL.label),
        ],
    )


class VotingSettingsForm(forms.Form):
    double_entry = forms.BooleanField(
        label=_("Double entry of paper ballots"),
        required=False,
        help_text=_("Two members enter each batch independently; it counts once both entries match."),
    )
    reminder_times = forms.CharField(
        label=_("Reminders to voters who have not voted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date and time per line, e.g. 2024-08-17 12:00 (the election's time zone)."),
    )

    def clean_reminder_times(self):
        import datetime as dt

        values = []
        for n, line in enumerate(self.cleaned_data["reminder_times"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                values.append(dt.datetime.fromisoformat(line.replace(" ", "T")))
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(value)s” is not a date and time like 2024-08-17 12:00.")
                    % {"n": n, "value": line}
                ) from None
        return values
