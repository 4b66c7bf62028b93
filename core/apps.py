from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app needs and no part of the domain owns: the auth backend, caching
    helpers, history, TOML loading, backup and restore."""

    name = "core"
    verbose_name = _("Infrastructure")
    #: Working state, not the site's data (core.backup.data_held).
    not_site_data = ("WorkerHeartbeat",)

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="rc_search_normal")
