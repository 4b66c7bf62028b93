from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Restitution


class RestitutionTextForm(forms.ModelForm):
    """The editorial text officers type, in both languages."""

    class Meta:
        model = Restitution
        fields = [
            "foreword_fr",
            "foreword_en",
            "introduction_fr",
            "introduction_en",
            "conclusion_fr",
            "conclusion_en",
            "data_notice_fr",
            "data_notice_en",
            "photo_credits",
            "foreword_signature_fr",
            "foreword_signature_en",
            "focus_title_fr",
            "focus_title_en",
            "factors_lead_fr",
            "factors_lead_en",
            "obstacles_lead_fr",
            "obstacles_lead_en",
        ]
        labels = {
            "foreword_fr": _("Foreword (French)"),
            "foreword_en": _("Foreword (English)"),
            "foreword_signature_fr": _("Foreword signed by (French)"),
            "foreword_signature_en": _("Foreword signed by (English)"),
            "focus_title_fr": _("Title of the lessons chapter (French)"),
            "focus_title_en": _("Title of the lessons chapter (English)"),
            "factors_lead_fr": _("Sentence before the facilitating factors (French)"),
            "factors_lead_en": _("Sentence before the facilitating factors (English)"),
            "obstacles_lead_fr": _("Sentence before the obstacles (French)"),
            "obstacles_lead_en": _("Sentence before the obstacles (English)"),
            "introduction_fr": _("Introduction (French)"),
            "introduction_en": _("Introduction (English)"),
            "conclusion_fr": _("Conclusion (French)"),
            "conclusion_en": _("Conclusion (English)"),
            "data_notice_fr": _("Note on the data (French)"),
            "data_notice_en": _("Note on the data (English)"),
        }
        help_texts = {
            "introduction_en": _(
                "Left empty, the English edition shows the French text, marked "
                "as not yet translated."
            ),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields[:6]}


class RestitutionStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class PublishForm(forms.Form):
    """Publishing, after the readiness check: with gaps listed, the publisher acknowledges
    them (the keys of the gaps shown travel with the form, so that a gap appearing in between
    is shown before anything is published)."""

    acknowledge = forms.BooleanField(
        label=_("I have read this list and publish the restitution as it is."), required=False
    )
    shown = forms.CharField(label=_("Gaps shown"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.gaps = gaps
        self.fields["shown"].initial = " ".join(gap.key for gap in gaps)
        self.fields["acknowledge"].required = bool(gaps)
        self.fields["acknowledge"].error_messages["required"] = _(
            "Tick this box to publish with the gaps listed above, or fill them in first."
        )

    @property
    def acknowledged_keys(self) -> list[str]:
        return self.cleaned_data.get("shown", "").split()
