from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The links of a change its history records with each row.
CHANGE_LINKS = ("questionings", "work_tracks", "exchanges")


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Changes on the territories")

    def ready(self) -> None:
        from core.history import audit  # after modeltranslation's ready(): see partners.apps

        from .models import PolicyChange, WorkTrackProgress

        audit(PolicyChange, m2m_fields=CHANGE_LINKS)
        audit(WorkTrackProgress)
