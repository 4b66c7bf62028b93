from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and funding")

    def ready(self) -> None:
        # After django-modeltranslation's ready() (its app comes first): both languages recorded.
        from core.history import audit

        from .models import FundingLine, PartnershipRole, Profile, SpecificObjective

        for model in (FundingLine, PartnershipRole, Profile, SpecificObjective):
            audit(model)
