from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and funding")

    def ready(self) -> None:
        from .caching import watch, watch_people

        # The history of changes: no figure reads them
        watch(self, except_models=("ChangeRecord",))
        watch_people()
