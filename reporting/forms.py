from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Restitution


class RestitutionTextForm(forms.ModelForm):
    """The editorial text officers type, in both languages."""

    class Meta:
        model = Restitution
        fields = ["introduction_fr", "introduction_en", "conclusion_fr", "conclusion_en"]
        labels = {
            "introduction_fr": _("Introduction (French)"),
            "introduction_en": _("Introduction (English)"),
            "conclusion_fr": _("Conclusion (French)"),
            "conclusion_en": _("Conclusion (English)"),
        }
        help_texts = {
            "introduction_en": _(
                "Left empty, the English edition shows the French text, marked "
                "as not yet translated."
            ),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}


class RestitutionStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=[])

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
