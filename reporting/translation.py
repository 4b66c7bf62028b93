from modeltranslation.translator import TranslationOptions, register

from .models import Restitution


@register(Restitution)
class RestitutionTranslation(TranslationOptions):
    fields = ("introduction", "conclusion", "data_notice")
