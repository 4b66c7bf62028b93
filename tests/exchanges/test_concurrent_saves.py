"""Two officers save at the same moment, each their own exchange: on PostgreSQL neither waits
for the other (no row that every write updates, no global lock)."""

import threading

import pytest
from django.db import connection, connections, transaction

from exchanges import services
from tests.factories import ExchangeFactory, bignona

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's to test"
    ),
]


def _save(exchange, author, title: str) -> None:
    values = services.exchange_values(exchange)
    values["title_fr"] = title
    services.exchange_update(
        exchange=exchange, author=author, expected_version=exchange.version, values=values
    )


def test_two_officers_saving_different_exchanges_do_not_wait_for_each_other(
    partnership, officer_savoie, officer_bignona
):
    savoie_visit = ExchangeFactory(partnership=partnership)
    bignona_visit = ExchangeFactory(
        partnership=partnership, host_territory=bignona(), visiting_territory=None
    )
    savoie_saving = threading.Event()
    bignona_done = threading.Event()
    outcome: dict[str, object] = {}

    def savoie_officer() -> None:
        # Saves, then keeps the transaction open while the other officer saves.
        try:
            with transaction.atomic():
                _save(savoie_visit, officer_savoie, "Visite des EHPAD, complétée")
                savoie_saving.set()
                bignona_done.wait(timeout=10)
        finally:
            savoie_saving.set()
            connections.close_all()

    def bignona_officer() -> None:
        savoie_saving.wait(timeout=10)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")  # waiting would fail, not hang
            _save(bignona_visit, officer_bignona, "Atelier de Bignona, complété")
            outcome["bignona"] = "saved"
        except Exception as error:  # the assertion below shows what went wrong
            outcome["bignona"] = error
        finally:
            bignona_done.set()
            connections.close_all()

    threads = [threading.Thread(target=savoie_officer), threading.Thread(target=bignona_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["bignona"] == "saved"
    savoie_visit.refresh_from_db()
    bignona_visit.refresh_from_db()
    assert savoie_visit.title_fr == "Visite des EHPAD, complétée"
    assert bignona_visit.title_fr == "Atelier de Bignona, complété"
