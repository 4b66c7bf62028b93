"""The change form: French required, English optional; a rejected form keeps what was typed
and says why next to each field."""

from django import forms
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from observatory.models import Questioning, WorkTrack
from partners.models import Partnership, Territory

from . import change_permissions as permissions
from .forms import (
    DATE_WIDGET,
    QuestioningChoiceField,
    SubmissionKeyField,
    TickedChoiceField,
    VersionField,
)
from .models import Exchange, PolicyChange
from .validators import ACCEPT, validate_attachment_file

#: The change form offers this many of the latest exchanges (and those already named).
RECENT_EXCHANGES = 200


class WorkTrackChoiceField(TickedChoiceField):
    def label_from_instance(self, obj: WorkTrack) -> str:
        return f"{obj.territory.name} — {Truncator(obj.title).chars(140)}"


class ExchangeChoiceField(TickedChoiceField):
    def label_from_instance(self, obj: Exchange) -> str:
        return f"{obj.start_date:%Y-%m-%d} — {Truncator(obj.title).chars(120)}"


class PolicyChangeForm(forms.ModelForm):
    version = VersionField()
    submission_key = SubmissionKeyField()
    evidence = forms.FileField(
        label=_("Evidence: a document or a photo (optional)"),
        required=False,
        help_text=_(
            "A JPEG, PNG or WebP photo, or a PDF, ODT, ODS, DOCX or XLSX document, of 10 MB at "
            "most: the deliberation, the new procedure, a photo of the new service…"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    remove_evidence = forms.BooleanField(
        label=_("Remove the evidence file kept with this change"), required=False
    )

    class Meta:
        model = PolicyChange
        fields = [
            "territory",
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "date",
            "stage",
            "origin",
            "questionings",
            "work_tracks",
            "exchanges",
            "decision_reference",
            "people_reached",
        ]
        field_classes = {
            "questionings": QuestioningChoiceField,
            "work_tracks": WorkTrackChoiceField,
            "exchanges": ExchangeChoiceField,
        }
        labels = {
            "title_fr": _("Title in French"),
            "title_en": _("Title in English (optional)"),
            "description_fr": _("What changed, in French"),
            "description_en": _("What changed, in English (optional)"),
            "territory": _("Territory that changed"),
            "people_reached": _("People it reaches (if known)"),
        }
        widgets = {
            "date": DATE_WIDGET,
            "description_fr": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "stage": forms.RadioSelect,
            "origin": forms.RadioSelect,
            "questionings": forms.CheckboxSelectMultiple,
            "work_tracks": forms.CheckboxSelectMultiple,
            "exchanges": forms.CheckboxSelectMultiple,
            "people_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        error_messages = {
            "title_fr": {"required": _("Give the change a title, in French.")},
            "date": {"required": _("Give the day the change reached its stage.")},
            "stage": {"required": _("Say how far the change has come.")},
            "origin": {"required": _("Say where the idea came from.")},
            "people_reached": {"min_value": _("A count cannot be negative.")},
        }

    def __init__(self, *args, partnership: Partnership, user, territories: list[Territory], **kw):
        super().__init__(*args, **kw)
        if self.instance.partnership_id is None:
            self.instance.partnership = partnership
        self.user = user
        fields = self.fields
        fields["title_fr"].required = True
        allowed = [
            t.pk for t in territories if permissions.refusal_to_record_change_for(user, t) is None
        ]
        fields["territory"].queryset = Territory.objects.filter(pk__in=allowed)
        if len(allowed) == 1:
            fields["territory"].empty_label = None
            self.initial.setdefault("territory", allowed[0])
        fields["questionings"].queryset = Questioning.objects.filter(
            topic__theme__partnership=partnership
        ).select_related("topic", "territory")
        fields["work_tracks"].queryset = WorkTrack.objects.filter(
            questioning__topic__theme__partnership=partnership
        ).select_related("territory")
        # The partnership's latest exchanges (a change follows them) and those it names.
        exchanges = Exchange.objects.active().filter(partnership=partnership)
        latest = exchanges.order_by("-start_date", "-pk").values("pk")[:RECENT_EXCHANGES]
        linked = self.instance.exchanges.all() if self.instance.pk else Exchange.objects.none()
        fields["exchanges"].queryset = exchanges.filter(
            Q(pk__in=latest) | Q(pk__in=linked.values("pk"))
        )
        fields["stage"].choices = PolicyChange.Stage.choices
        fields["origin"].choices = PolicyChange.Origin.choices
        if not self.instance.evidence:
            del fields["remove_evidence"]
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version

    def clean_evidence(self):
        file = self.cleaned_data.get("evidence")
        if file:
            validate_attachment_file(file)
        return file
