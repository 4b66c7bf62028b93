"""The annual restitution's budget: each contribution planned and spent, financial or in kind
(Bignona's own: staff time, hosting, transport), with totals in each currency — euros and CFA
francs are never added together. An administrator records what was spent in the admin; a
wrong value is refused next to its field, in French."""

import datetime
from decimal import Decimal

import pytest

from partners.models import FundingLine
from reporting.content import funding_of_year, restitution_content
from reporting.document import render_edition
from reporting.models import Restitution
from tests.admin_forms import admin_form
from tests.factories import FundingLineFactory, OrganisationFactory
from tests.reporting_factories import html_text

pytestmark = pytest.mark.django_db


def _line(partnership, **values) -> FundingLine:
    return FundingLineFactory(partnership=partnership, **values)


def test_the_totals_are_kept_apart_by_currency_and_the_in_kind_share_is_given(partnership):
    _line(partnership, amount=20000, spent=19000)
    _line(partnership, amount=3000, spent=3000, nature=FundingLine.Nature.IN_KIND)
    _line(partnership, amount=1500000, spent=None, currency="XOF")

    euros, francs = funding_of_year(partnership, 2016).by_currency

    assert (euros.currency, euros.planned, euros.spent, euros.in_kind, euros.financial) == (
        "EUR",
        Decimal(23000),
        Decimal(22000),
        Decimal(3000),
        Decimal(20000),
    )
    # One line's amount spent is not known yet: no partial total is printed as the year's.
    assert (francs.currency, francs.planned, francs.spent) == ("XOF", Decimal(1500000), None)


@pytest.mark.parametrize("edition", ["fr", "en"])
def test_the_2016_budget_table_reads_planned_spent_in_kind_and_totals_per_currency(
    demo_data, edition
):
    restitution = Restitution.objects.get(year=2016)
    html = render_edition(restitution_content(restitution), edition=edition, format="html")
    chapter = html_text(html.split(b'id="funding"')[1].split(b"</section>")[0])

    if edition == "fr":
        expected = ["Prévu", "Dépensé", "En nature", "Total en euros", "Total en francs CFA"]
        # the source's 30 000 € given as money, beside the (illustrative) contributions in kind
        expected += ["33 000 €", "dont en numéraire 30 000 €", "3 500 000 F CFA", "dont en nature"]
        expected += ["illustratif", "1 € = 655,957 F CFA"]
    else:
        expected = ["Planned", "Spent", "In kind", "Total in euros", "Total in CFA francs"]
        expected += ["€33,000", "of which financial €30,000", "3,500,000 CFA francs"]
        expected += ["of which in kind", "illustrative"]
    assert [words for words in expected if words not in chapter] == []


def test_the_source_plan_stays_a_fact_and_bignonas_own_contribution_is_illustrative(demo_data):
    lines = FundingLine.objects.filter(period_start__year=2016).select_related("funder")
    source = {
        line.funder.slug: line.amount
        for line in lines
        if not line.illustrative and line.nature == FundingLine.Nature.FINANCIAL
    }

    assert source == {
        "departement-savoie": Decimal(20000),
        "maedi": Decimal(5000),
        "etablissements-sociaux-savoie": Decimal(5000),
    }
    bignona = [line for line in lines if line.funder.slug == "departement-bignona"]
    assert {line.nature for line in bignona} == {"financial", "in_kind"}
    assert all(line.illustrative and line.currency == "XOF" for line in bignona)
    assert all(line.spent_illustrative for line in lines if line.spent is not None)


@pytest.mark.parametrize(
    ("field", "value", "next_to", "message"),
    [
        ("spent", "-5", "spent", "Le montant dépensé ne peut pas être négatif."),
        ("in_kind_detail_fr", "transport", "nature", "Seule une contribution en nature précise"),
    ],
)
def test_a_wrong_value_is_refused_next_to_its_field_in_french(
    client, administrator, partnership, field, value, next_to, message
):
    line = _line(partnership, funder=OrganisationFactory(name_fr="Département de Bignona"))
    client.force_login(administrator)
    url = f"/fr/admin/partners/fundingline/{line.pk}/change/"
    data = admin_form(client, url, "fundingline_form")
    data[field] = value

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode().replace("\u2019", "'")
    error = page.split(f'id="id_{next_to}"')[0].rsplit('class="errorlist', 1)[-1]
    assert message in error.replace("&#x27;", "'")
    line.refresh_from_db()
    assert line.spent is None
    assert line.in_kind_detail_fr in ("", None)


def test_the_admin_shows_the_new_fields_in_french(client, administrator, partnership):
    line = _line(partnership, period_start=datetime.date(2016, 1, 1))
    client.force_login(administrator)

    page = client.get(f"/fr/admin/partners/fundingline/{line.pk}/change/").content.decode()

    for label in ("Montant prévu", "Montant dépensé", "Nature de la contribution", "En nature"):
        assert label in page
