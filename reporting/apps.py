from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Annual restitutions")

    def ready(self) -> None:
        from partners.caching import watch

        # Published versions are frozen files: no figure reads them
        watch(self, except_models=("RestitutionVersion", "RestitutionFile"))
