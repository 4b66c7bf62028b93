from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self) -> None:
        from partners.caching import watch

        # The history of changes: no figure reads them
        watch(self, except_models=("ExchangeChange",))
