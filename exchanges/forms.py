"""The forms officers fill on a phone. French is required, English optional; every message is
translated and shown next to its field, and a rejected form keeps everything typed."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from observatory.models import Questioning, Recommendation
from partners.models import Partnership, Territory

from . import permissions
from .models import Establishment, Exchange
from .validators import ACCEPTED_TYPES, validate_attachment_file

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT_WIDGET = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
NEGATIVE_COUNT = {"min_value": _("A count cannot be negative.")}


class VersionField(forms.IntegerField):
    """The version the form was opened on, for optimistic locking (0: nothing saved yet)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or 0


class TickedChoiceField(forms.ModelMultipleChoiceField):
    """Ticked ids. One beyond the database's integer range is an invalid choice, said so like
    any other (SQLite raises OverflowError on such a number in `pk__in`)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number at all: the parent says so
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class QuestioningChoiceField(TickedChoiceField):
    def label_from_instance(self, obj: Questioning) -> str:
        return f"{obj.territory.name} — {obj.topic.name}: {Truncator(obj.question).chars(140)}"


class RecommendationChoiceField(TickedChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return Truncator(obj.text).chars(160)


class EstablishmentChoiceField(TickedChoiceField):
    def label_from_instance(self, obj: Establishment) -> str:
        where = f"{obj.town}, {obj.territory.name}" if obj.town else obj.territory.name
        return f"{obj.name} ({where})"


class ExchangeForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Exchange
        fields = [
            "kind",
            "title_fr",
            "title_en",
            "start_date",
            "end_date",
            "place",
            "host_territory",
            "visiting_territory",
            "summary_fr",
            "summary_en",
            "strands",
            "questionings",
            "recommendations",
            "establishments",
            "professionals_met_count",
            "elected_officials_count",
            "technical_staff_count",
            "follow_up_fr",
            "follow_up_en",
        ]
        field_classes = {
            "strands": TickedChoiceField,
            "questionings": QuestioningChoiceField,
            "recommendations": RecommendationChoiceField,
            "establishments": EstablishmentChoiceField,
        }
        labels = {
            "title_fr": _("Title in French"),
            "title_en": _("Title in English (optional)"),
            "summary_fr": _("Summary in French"),
            "summary_en": _("Summary in English (optional)"),
            "follow_up_fr": _("Follow-up actions, in French"),
            "follow_up_en": _("Follow-up actions, in English (optional)"),
            "place": _("Place"),
            "professionals_met_count": _("Social professionals met"),
            "elected_officials_count": _("Elected officials taking part"),
            "technical_staff_count": _("Technical staff taking part"),
            "establishments": _("Social establishments visited"),
            "questionings": _("Paired questionings it worked on"),
            "recommendations": _("Recommendations it worked on"),
        }
        help_texts = {
            "visiting_territory": _(
                "The territory whose delegation travelled. Leave empty for a local exchange."
            ),
            "professionals_met_count": _("Counted in the observatory's key figures."),
        }
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "summary_fr": forms.Textarea(attrs={"rows": 6}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "follow_up_fr": forms.Textarea(attrs={"rows": 4}),
            "follow_up_en": forms.Textarea(attrs={"rows": 3}),
            "strands": forms.CheckboxSelectMultiple,
            "questionings": forms.CheckboxSelectMultiple,
            "recommendations": forms.CheckboxSelectMultiple,
            "establishments": forms.CheckboxSelectMultiple,
            "professionals_met_count": COUNT_WIDGET,
            "elected_officials_count": COUNT_WIDGET,
            "technical_staff_count": COUNT_WIDGET,
        }
        error_messages = {
            "title_fr": {"required": _("Give the exchange a title, in French.")},
            "start_date": {"required": _("Give the day the exchange started.")},
            "end_date": {"required": _("Give the day the exchange ended.")},
            "professionals_met_count": NEGATIVE_COUNT,
            "elected_officials_count": NEGATIVE_COUNT,
            "technical_staff_count": NEGATIVE_COUNT,
        }

    def __init__(self, *args, partnership: Partnership, user, territories: list[Territory], **kw):
        super().__init__(*args, **kw)
        if self.instance.partnership_id is None:  # the dates are checked against its start
            self.instance.partnership = partnership
        fields = self.fields
        fields["title_fr"].required = True
        territory_ids = [t.pk for t in territories]
        hosts = [t.pk for t in territories if permissions.can_host(user, t)]
        if self.instance.pk and self.instance.host_territory_id not in hosts:
            hosts.append(self.instance.host_territory_id)
        fields["host_territory"].queryset = Territory.objects.filter(pk__in=hosts)
        fields["host_territory"].help_text = _("You log the exchanges your territory hosts.")
        if len(hosts) == 1:
            fields["host_territory"].empty_label = None
        fields["visiting_territory"].queryset = Territory.objects.filter(pk__in=territory_ids)
        fields["visiting_territory"].empty_label = _("Nobody travelled (local exchange)")
        fields["strands"].queryset = partnership.strands.all()
        fields["questionings"].queryset = Questioning.objects.filter(
            topic__theme__partnership=partnership
        ).select_related("topic", "territory")
        fields["recommendations"].queryset = Recommendation.objects.select_related("group")
        fields["establishments"].queryset = Establishment.objects.filter(
            territory__in=territory_ids
        ).select_related("territory")
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version


class CrossViewForm(forms.Form):
    text_fr = forms.CharField(
        label=_("What your territory takes away, in French"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write what your territory takes away, in French.")},
    )
    text_en = forms.CharField(
        label=_("The same in English (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    version = VersionField()


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("A JPEG, PNG or WebP photo, or a PDF document, of 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_TYPES)}),
        error_messages={"required": _("Choose the file to add.")},
    )
    caption_fr = forms.CharField(
        label=_("Caption in French"),
        max_length=300,
        error_messages={"required": _("Say in a few words what the file shows.")},
    )
    caption_en = forms.CharField(
        label=_("Caption in English (optional)"), max_length=300, required=False
    )
    credit = forms.CharField(
        label=_("Credit"),
        max_length=200,
        required=False,
        help_text=_("Who took the photo or wrote the document."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_attachment_file(file)
        return file


class EstablishmentForm(forms.ModelForm):
    class Meta:
        model = Establishment
        fields = ["name_fr", "kind", "territory", "town", "strands"]
        field_classes = {"strands": TickedChoiceField}
        labels = {"name_fr": _("Name")}
        widgets = {"strands": forms.CheckboxSelectMultiple}
        error_messages = {"name_fr": {"required": _("Give the establishment's name.")}}

    def __init__(self, *args, partnership: Partnership, user, territories: list[Territory], **kw):
        super().__init__(*args, **kw)
        self.fields["name_fr"].required = True
        hosts = [t.pk for t in territories if permissions.can_host(user, t)]
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=hosts)
        if len(hosts) == 1:
            self.fields["territory"].empty_label = None
        self.fields["strands"].queryset = partnership.strands.all()
