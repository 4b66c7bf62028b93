"""The admin reads as French to a French administrator: section names, role labels, amounts;
it loads no script from another site (the Content-Security-Policy would block it), and its
date fields carry no time-zone note."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Currency, FundingLine, PartnershipRole, Profile
from tests.factories import (
    ExchangeFactory,
    FundingLineFactory,
    OrganisationFactory,
    bignona,
    savoie,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"')


@pytest.mark.parametrize(
    "path",
    [
        "/fr/admin/",
        "/fr/admin/exchanges/exchange/",
        "/fr/admin/exchanges/exchange/add/",
        "/fr/admin/partners/partnership/add/",
        "/fr/admin/observatory/topic/add/",
        "/fr/admin/reporting/restitution/add/",
        "/fr/admin/auth/user/",
    ],
)
def test_admin_pages_load_scripts_and_styles_from_the_site_only(admin_client, path):
    html = page(admin_client, path)

    assets = ASSET.findall(html)
    assert assets
    assert [url for url in assets if not url.startswith("/")] == []
    for host in ("code.jquery.com", "ajax.googleapis.com", "cdnjs", "jsdelivr", "unpkg"):
        assert host not in html


@pytest.mark.parametrize(
    "path",
    [
        "/fr/admin/exchanges/exchange/add/",
        "/fr/admin/partners/partnership/add/",
        "/fr/admin/observatory/topic/add/",
        "/fr/admin/reporting/restitution/add/",
    ],
)
def test_translated_admin_pages_bring_the_vendored_jquery_ui_for_their_tabs(admin_client, path):
    html = page(admin_client, path)

    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "/static/modeltranslation/js/tabbed_translation_fields.js" in html


@pytest.mark.parametrize(
    "section",
    [
        "Authentification et autorisation",
        "Sécurité des connexions",
        "Tâches en arrière-plan",
        "Partenaires et financements",
        "Observatoire",
        "Échanges",
        "Restitutions annuelles",
    ],
)
def test_the_admin_index_names_every_section_in_french(admin_client, section):
    assert f">{section}</a>" in page(admin_client, "/fr/admin/")


def test_no_section_of_the_admin_index_keeps_an_english_name(admin_client):
    html = page(admin_client, "/fr/admin/")

    for english in ("Axes", "Tasks Database Backend", "Background tasks", "Task Results"):
        assert english not in html


def test_the_task_results_list_is_in_french(admin_client):
    html = page(admin_client, "/fr/admin/django_tasks_database/dbtaskresult/")

    assert "Tâches en arrière-plan" in html
    assert "résultats de tâches" in html
    assert ">Réussie</a>" in html
    assert ">Échouée</a>" in html


def test_the_profiles_list_shows_translated_roles(admin_client, officer_savoie, elected_official):
    html = page(admin_client, "/fr/admin/partners/profile/")

    assert '<td class="field-role">Chargé·e de mission</td>' in html
    assert '<td class="field-role">Élu·e</td>' in html
    assert ">officer<" not in html
    assert ">elected_official<" not in html


def test_the_users_list_shows_each_users_translated_role_and_territory(
    admin_client, officer_bignona, elected_official
):
    html = page(admin_client, "/fr/admin/auth/user/")

    assert '<td class="field-profile_role">Chargé·e de mission</td>' in html
    assert '<td class="field-profile_territory">Bignona</td>' in html
    assert ">Rôle<" in html
    assert ">Territoire<" in html
    assert ">officer<" not in html
    assert "Profile role" not in html


def test_the_users_list_reads_profiles_in_the_same_query_however_many_users(admin_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            page(admin_client, "/fr/admin/auth/user/")
        return len(context.captured_queries)

    user_with_role("officer-1", Profile.Role.OFFICER, savoie())
    few = queries()
    for number in range(2, 6):
        user_with_role(f"officer-{number}", Profile.Role.OFFICER, bignona())

    assert queries() == few


def test_the_organisations_list_filters_by_translated_partnership_role(admin_client):
    html = page(
        admin_client, f"/fr/admin/partners/organisation/?roles__role={PartnershipRole.Role.FUNDER}"
    )

    assert "Porteur du projet" in html
    assert "Financeur" in html
    assert "support_association</a>" not in html


def test_the_funding_lines_list_shows_amounts_in_french(admin_client, partnership):
    FundingLineFactory(partnership=partnership, amount=20000, currency=Currency.EUR)
    FundingLineFactory(
        partnership=partnership,
        funder=OrganisationFactory(name_fr="Département de Bignona"),
        amount=2000000,
        currency=Currency.XOF,
    )

    html = page(admin_client, "/fr/admin/partners/fundingline/")

    assert '<td class="field-amount_in_currency">20\u00a0000\u00a0€</td>' in html
    assert '<td class="field-amount_in_currency">2\u00a0000\u00a0000\u00a0F CFA</td>' in html
    assert ">Montant<" in html
    assert FundingLine.objects.count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "/fr/admin/partners/fundingline/add/",
        "/fr/admin/partners/partnership/add/",  # its funding lines inline
        "/fr/admin/exchanges/exchange/{exchange}/change/",
    ],
)
def test_date_fields_come_with_no_time_zone_note(admin_client, path):
    exchange = ExchangeFactory()
    html = page(admin_client, path.format(exchange=exchange.pk))

    dates = re.findall(r'<p class="date">(.*?)</p>', html, re.S)
    assert dates
    for field in dates:
        assert 'class="vDateField' in field
        assert '<span class="timezonewarning" hidden></span>' in field


def test_no_date_and_time_field_is_left_to_type_on_a_users_page(admin_client, officer_savoie):
    html = page(admin_client, f"/fr/admin/auth/user/{officer_savoie.pk}/change/")

    assert "Dernière connexion" in html
    assert "Date d’inscription" in html
    assert "vTimeField" not in html
    assert 'name="date_joined_0"' not in html
