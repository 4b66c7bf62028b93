from modeltranslation.translator import TranslationOptions, register

from .models import (
    Attachment,
    CrossView,
    Establishment,
    EstablishmentKind,
    Exchange,
    PolicyChange,
)


@register(EstablishmentKind)
class EstablishmentKindTranslation(TranslationOptions):
    fields = ("name",)


@register(Establishment)
class EstablishmentTranslation(TranslationOptions):
    fields = ("name",)


@register(Exchange)
class ExchangeTranslation(TranslationOptions):
    fields = ("title", "summary", "follow_up")


@register(CrossView)
class CrossViewTranslation(TranslationOptions):
    fields = ("text",)


@register(Attachment)
class AttachmentTranslation(TranslationOptions):
    fields = ("caption",)


@register(PolicyChange)
class PolicyChangeTranslation(TranslationOptions):
    fields = ("title", "description")
