"""Figures and draft renderings are kept in cache until the content changes, and every kind of
change shows at once: a visit logged or edited through the forms, a strand linked, a soft
delete and its undoing, an admin action, a user's name, a new published version."""

import pytest

from partners.caching import content_changed
from partners.models import ContentVersion
from reporting.services import restitution_publish
from tests.factories import ExchangeFactory, StrandFactory, exchange_form_data

from .reporting_factories import RestitutionFactory, isolate_publishing, year_of_exchanges

pytestmark = pytest.mark.django_db


def professionals_on_home(client, year=2016) -> int:
    return client.get(f"/en/?year={year}").context["figures"].professionals_met


def test_a_visit_logged_in_the_form_counts_on_the_home_page_at_once(
    client, partnership, officer_savoie
):
    ExchangeFactory(partnership=partnership, professionals_met_count=4)
    assert professionals_on_home(client) == 4  # now kept in cache

    client.force_login(officer_savoie)
    response = client.post("/fr/exchanges/new/", exchange_form_data(professionals_met_count="12"))

    assert response.status_code == 302
    assert professionals_on_home(client) == 16


def test_an_edit_a_new_strand_link_a_delete_and_its_undoing_all_show(
    client, partnership, officer_savoie, administrator
):
    visit = ExchangeFactory(partnership=partnership, professionals_met_count=4)
    strand = StrandFactory(partnership=partnership)
    client.force_login(officer_savoie)
    assert professionals_on_home(client) == 4

    client.post(
        f"/fr/exchanges/{visit.pk}/edit/",
        exchange_form_data(visit, professionals_met_count="9", version=str(visit.version)),
    )
    assert professionals_on_home(client) == 9

    visit.strands.add(strand)  # links change with no save of the exchange
    by_strand = dict(client.get("/en/?year=2016").context["figures"].by_strand)
    assert by_strand[strand] == 1

    client.post(f"/fr/exchanges/{visit.pk}/delete/")  # an update(), which sends no signal
    assert professionals_on_home(client) == 0

    client.force_login(administrator)
    client.post(
        "/fr/admin/exchanges/exchange/",
        {"action": "restore_exchanges", "_selected_action": [visit.pk]},
    )
    assert professionals_on_home(client) == 9


def test_a_renamed_strand_is_renamed_on_the_home_page_at_once(
    client, partnership, administrator
):
    strand = StrandFactory(partnership=partnership, short_name_en="Elderly")
    ExchangeFactory(partnership=partnership, strands=[strand])
    assert "Elderly" in client.get("/en/").content.decode()

    strand.short_name_en = "Older people"
    strand.save()

    html = client.get("/en/").content.decode()
    assert "Older people" in html and "Elderly" not in html


def test_every_write_gives_the_content_a_new_version_in_the_database(partnership):
    # Other processes see the change through this row: their cache holds the old version.
    before = ContentVersion.objects.get().token
    ExchangeFactory(partnership=partnership)
    after_save = ContentVersion.objects.get().token
    content_changed()

    assert len({before, after_save, ContentVersion.objects.get().token}) == 3


def test_a_live_draft_is_rendered_once_then_follows_each_change(
    client, partnership, officer_savoie, django_assert_num_queries
):
    exchanges = year_of_exchanges(partnership, exchanges=2)
    RestitutionFactory(partnership=partnership)
    client.force_login(officer_savoie)
    first = client.get("/fr/restitutions/2016/?draft=1").content.decode()

    # session, user with the content's version
    with django_assert_num_queries(2):
        again = client.get("/fr/restitutions/2016/?draft=1").content.decode()
    assert again == first

    exchanges[0].title_fr = "Un titre changé depuis"
    exchanges[0].save()
    assert "Un titre changé depuis" in client.get("/fr/restitutions/2016/?draft=1").content.decode()


def test_the_list_is_rendered_once_per_address_and_shows_a_new_visit_at_once(
    client, partnership, officer_savoie, django_assert_num_queries
):
    ExchangeFactory(partnership=partnership, title_fr="Première visite")
    client.force_login(officer_savoie)
    client.get("/fr/exchanges/?kind=field_visit")

    # session, user with the content's version
    with django_assert_num_queries(2):
        again = client.get("/fr/exchanges/?kind=field_visit").content.decode()
    assert "Première visite" in again

    ExchangeFactory(partnership=partnership, title_fr="Seconde visite")
    assert "Seconde visite" in client.get("/fr/exchanges/?kind=field_visit").content.decode()


def test_an_exchange_page_is_read_once_yet_each_reader_gets_their_own_buttons(
    client, partnership, officer_savoie, officer_bignona, django_assert_num_queries
):
    visit = ExchangeFactory(partnership=partnership, title_fr="Visite des EHPAD")
    client.force_login(officer_savoie)
    assert "Modifier cet échange" in client.get(f"/fr/exchanges/{visit.pk}/").content.decode()

    client.force_login(officer_bignona)
    # session, user with the content's version: the exchange is kept in cache
    with django_assert_num_queries(2):
        html = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert "Visite des EHPAD" in html
    assert "Modifier cet échange" not in html  # Savoie hosts it: not Bignona's to change

    client.post(
        f"/fr/exchanges/{visit.pk}/cross-views/bignona/",
        {"text_fr": "Ce que Bignona retient.", "text_en": "", "version": "0"},
    )
    assert "Ce que Bignona retient." in client.get(f"/fr/exchanges/{visit.pk}/").content.decode()

    officer_bignona.first_name, officer_bignona.last_name = "Awa", "Diatta"
    officer_bignona.save()
    assert "Awa Diatta" in client.get(f"/fr/exchanges/{visit.pk}/").content.decode()


def test_a_published_file_is_found_once_then_served_from_storage_each_time(
    client,
    partnership,
    administrator,
    elected_official,
    django_assert_num_queries,
    settings,
    tmp_path,
):
    isolate_publishing(settings, tmp_path)
    year_of_exchanges(partnership, exchanges=2)
    restitution = RestitutionFactory(partnership=partnership)
    restitution_publish(restitution=restitution, user=administrator, background=False)
    client.force_login(elected_official)
    first = client.get("/fr/restitutions/2016/pdf/").getvalue()

    # session, user with the content's version: the file is read from storage
    with django_assert_num_queries(2):
        again = client.get("/fr/restitutions/2016/pdf/").getvalue()
    assert again == first

    restitution_publish(restitution=restitution, user=administrator, background=False)  # v2
    assert client.get("/fr/restitutions/2016/pdf/")["Content-Disposition"].endswith('-v2.pdf"')


def test_an_exchange_page_shows_each_language_and_each_change_of_its_facts(
    client, partnership, officer_savoie
):
    visit = ExchangeFactory(
        partnership=partnership,
        summary_fr="Résumé en français.",
        summary_en="Summary in English.",
        place="Chambéry",
    )
    client.force_login(officer_savoie)
    assert "Résumé en français." in client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert "Summary in English." in client.get(f"/en/exchanges/{visit.pk}/").content.decode()

    visit.place = "Albertville"
    visit.save()

    html = client.get(f"/fr/exchanges/{visit.pk}/").content.decode()
    assert "Albertville" in html and "Chambéry" not in html
