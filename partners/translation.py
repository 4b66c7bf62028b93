from modeltranslation.translator import TranslationOptions, register

from .models import (
    Contact,
    FundingLine,
    Organisation,
    Partnership,
    PartnershipRole,
    SpecificObjective,
    Territory,
)


@register(Territory)
class TerritoryTranslation(TranslationOptions):
    fields = ("name", "country")


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = (
        "name",
        "framework_agreement",
        "context",
        "project_title",
        "project_subtitle",
        "objectives",
        "pilot_rationale",
    )


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(PartnershipRole)
class PartnershipRoleTranslation(TranslationOptions):
    fields = ("description",)


@register(Contact)
class ContactTranslation(TranslationOptions):
    fields = ("job_title",)


@register(SpecificObjective)
class SpecificObjectiveTranslation(TranslationOptions):
    fields = ("text",)


@register(FundingLine)
class FundingLineTranslation(TranslationOptions):
    fields = ("in_kind_detail",)
