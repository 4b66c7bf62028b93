from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The links of an exchange its history records with each row.
EXCHANGE_LINKS = ("strands", "questionings", "recommendations", "establishments")
#: The links of a change on a territory its history records with each row.
CHANGE_LINKS = ("questionings", "work_tracks", "exchanges")


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")
    #: Rows that are not the site's data (core.backup.data_held): the kinds of establishment
    #: migration 0008 puts in every new database.
    not_site_data = ("EstablishmentKind",)

    def ready(self) -> None:
        from core.history import audit  # after modeltranslation's ready(): see partners.apps

        from .models import Attachment, CrossView, Establishment, Exchange, PolicyChange

        audit(Exchange, m2m_fields=EXCHANGE_LINKS)
        audit(CrossView)
        audit(Attachment)
        audit(Establishment, m2m_fields=["strands"])
        audit(PolicyChange, m2m_fields=CHANGE_LINKS)
