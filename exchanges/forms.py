"""The forms officers fill on a phone. French is required, English optional; every message is
translated and shown next to its field, and a rejected form keeps everything typed."""

import uuid
from dataclasses import dataclass

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.limits import long_text_validators
from core.templatetags.file_sizes import file_size
from observatory.models import Questioning, Recommendation
from partners.models import Partnership, Territory
from partners.roles import territory_of

from . import permissions
from .models import Establishment, Exchange
from .validators import ACCEPT, max_attachment_size, validate_attachment_file

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT_WIDGET = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
NEGATIVE_COUNT = {"min_value": _("A count cannot be negative.")}


class VersionField(forms.IntegerField):
    """The version the form was opened on, for optimistic locking (0: nothing saved yet)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Version the form was opened on"))
        super().__init__(min_value=0, required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or 0


class SubmissionKeyField(forms.UUIDField):
    """The key of one sending of the form, drawn as the form is shown (exchanges/submissions.py):
    sending the same form twice saves it once. A missing or malformed key means none."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Key of this sending of the form"))
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError:
            return None


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


@dataclass(frozen=True)
class EstablishmentChoice:
    pk: int
    label: str
    ticked: bool


@dataclass(frozen=True)
class EstablishmentGroup:
    territory: Territory
    choices: list[EstablishmentChoice]
    takes_part: bool  # one of the exchange's territories (or the officer's, for a new one)


class ExchangeForm(forms.ModelForm):
    version = VersionField()
    submission_key = SubmissionKeyField()

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
            "establishments": TickedChoiceField,  # drawn by establishment_groups()
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
        self.user = user
        territory_ids = [t.pk for t in territories]
        # Either side logs an exchange it takes part in: as host or as the visiting delegation.
        fields["host_territory"].queryset = Territory.objects.filter(pk__in=territory_ids)
        fields["host_territory"].help_text = _(
            "You log the exchanges your territory takes part in: as host, or as the delegation "
            "that travelled."
        )
        own = territory_of(user)
        if not self.instance.pk and own is not None and own.pk in territory_ids:
            self.initial.setdefault("host_territory", own.pk)
        fields["visiting_territory"].queryset = Territory.objects.filter(pk__in=territory_ids)
        fields["visiting_territory"].empty_label = _("Nobody travelled (local exchange)")
        fields["strands"].queryset = partnership.strands.all()
        fields["questionings"].queryset = Questioning.objects.filter(
            topic__theme__partnership=partnership
        ).select_related("topic", "territory")
        fields["recommendations"].queryset = Recommendation.objects.select_related("group")
        fields["establishments"].queryset = Establishment.objects.filter(
            territory__in=territory_ids
        )
        self._territories = territories
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version

    def establishment_groups(self) -> list[EstablishmentGroup]:
        """The establishments to tick, by territory: the exchange's own territories first
        (host, then delegation; for a new one, the officer's), then the partnership's others.
        Read in one query and written by the template without a widget per checkbox, so a
        phone gets a thousand of them as plain, light HTML."""
        instance = self.instance
        first = [instance.host_territory_id, instance.visiting_territory_id]
        if not instance.pk:
            own = territory_of(self.user)
            first = [own.pk if own else None]
        rank = {pk: n for n, pk in enumerate(first) if pk is not None}
        territories = sorted(
            self._territories,
            key=lambda t: (rank.get(t.pk, len(first)), self._territories.index(t)),
        )
        ticked = {str(value) for value in self["establishments"].value() or []}
        rows = (
            self.fields["establishments"]
            .queryset.only("pk", "name_fr", "name_en", "town", "territory_id")
            .order_by("name_fr", "pk")
        )
        by_territory: dict[int, list[EstablishmentChoice]] = {t.pk: [] for t in territories}
        for row in rows:
            label = f"{row.name} ({row.town})" if row.town else row.name
            by_territory[row.territory_id].append(
                EstablishmentChoice(row.pk, label, str(row.pk) in ticked)
            )
        return [
            EstablishmentGroup(t, by_territory[t.pk], t.pk in rank)
            for t in territories
            if by_territory[t.pk]
        ]

    def clean(self):
        cleaned = super().clean()
        host = cleaned.get("host_territory")
        if host is not None and (
            refusal := permissions.refusal_to_log_exchange(
                self.user, host, cleaned.get("visiting_territory")
            )
        ):
            self.add_error("host_territory", refusal)
        return cleaned


class CrossViewForm(forms.Form):
    text_fr = forms.CharField(
        label=_("What your territory takes away, in French"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write what your territory takes away, in French.")},
        validators=long_text_validators(),
    )
    text_en = forms.CharField(
        label=_("The same in English (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        validators=long_text_validators(),
    )
    version = VersionField()
    submission_key = SubmissionKeyField()


class OwnCrossViewForm(forms.Form):
    """On the new-exchange form: the officer's own territory's cross view, written at once (in
    the field, often offline) or later from the exchange's page."""

    prefix = "cross_view"
    text_fr = forms.CharField(
        label=_("What your territory takes away, in French (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("You can also write it later, from the exchange's page."),
        validators=long_text_validators(),
    )
    text_en = forms.CharField(
        label=_("The same in English (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=long_text_validators(),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text_en", "").strip() and not cleaned.get("text_fr", "").strip():
            self.add_error("text_fr", _("Write what your territory takes away in French too."))
        return cleaned


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
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
    for_restitution = forms.BooleanField(
        label=_("Use this photo in the year's restitution"),
        required=False,
        help_text=_("It appears there with its caption and credit."),
    )
    keep_location = forms.BooleanField(
        label=_("Keep the place where the photo was taken"),
        required=False,
        help_text=_(
            "Phones write it into their photos. Unless you tick this, it is removed before the "
            "photo is stored."
        ),
    )
    # Set by the page's script when it resized the photo (and so turned it upright already).
    upright = forms.BooleanField(
        label=_("Photo already turned upright"), required=False, widget=forms.HiddenInput
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_attachment_size()
        field = self.fields["file"]
        field.help_text = _(
            "A JPEG, PNG or WebP photo, or a PDF, ODT, ODS, DOCX or XLSX document, of %(limit)s "
            "at most. On a phone, photos are made smaller before they are sent."
        ) % {"limit": file_size(limit)}
        # The outbox refuses a heavier file at once, before sending it (static/js/outbox.js).
        field.widget.attrs["data-max-bytes"] = str(limit)

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
        hosts = [
            t.pk for t in territories if permissions.refusal_to_add_establishment(user, t) is None
        ]
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=hosts)
        if len(hosts) == 1:
            self.fields["territory"].empty_label = None
        self.fields["strands"].queryset = partnership.strands.all()
