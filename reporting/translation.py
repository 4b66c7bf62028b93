from modeltranslation.translator import TranslationOptions, register

from .models import Restitution


@register(Restitution)
class RestitutionTranslation(TranslationOptions):
    fields = (
        "introduction",
        "conclusion",
        "data_notice",
        "foreword",
        "foreword_signature",
        "focus_title",
        "factors_lead",
        "obstacles_lead",
    )
