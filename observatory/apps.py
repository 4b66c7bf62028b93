from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatory")

    def ready(self) -> None:
        from core.history import audit  # after modeltranslation's ready(): see partners.apps

        from .models import Questioning, WorkTrack, WorkTrackProgress

        audit(Questioning)
        audit(WorkTrack)
        audit(WorkTrackProgress)
