from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Annual restitutions")

    def ready(self) -> None:
        from core.history import audit  # after modeltranslation's ready(): see partners.apps

        from .models import Restitution

        audit(Restitution)
