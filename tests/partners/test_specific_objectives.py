"""Each territory's specific objective is content of the partnership: an administrator writes
it in French and English on the partnership's admin page, saved by its service (a history row
names the author); a territory outside the partnership is refused next to the field."""

import pytest

from partners.models import SpecificObjective
from tests.admin_forms import admin_form
from tests.factories import TerritoryFactory, bignona, savoie

pytestmark = pytest.mark.django_db


@pytest.fixture
def objective(partnership):
    partnership.territories.set([savoie(), bignona()])
    return SpecificObjective.objects.create(
        partnership=partnership, territory=savoie(), text_fr="Impliquer les citoyens."
    )


def _inline_prefix(data: dict) -> str:
    return next(k for k in data if k.endswith("-0-text_fr")).removesuffix("-0-text_fr")


def test_the_administrator_writes_the_objective_in_both_languages(
    client, administrator, partnership, objective
):
    client.force_login(administrator)
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(client, url, "partnership_form")
    prefix = _inline_prefix(data)
    data[f"{prefix}-0-text_fr"] = "Envisager davantage d'implication citoyenne."
    data[f"{prefix}-0-text_en"] = "Consider greater citizen involvement."

    assert client.post(url, data).status_code == 302

    objective.refresh_from_db()
    assert objective.text_en == "Consider greater citizen involvement."
    assert objective.history.first().history_user == administrator


def test_a_territory_outside_the_partnership_is_refused_next_to_the_field(
    client, administrator, partnership, objective
):
    elsewhere = TerritoryFactory(slug="ziguinchor")
    client.force_login(administrator)
    url = f"/fr/admin/partners/partnership/{partnership.pk}/change/"
    data = admin_form(client, url, "partnership_form")
    data[f"{_inline_prefix(data)}-0-territory"] = str(elsewhere.pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Ce territoire ne fait pas partie du partenariat." in response.content.decode()
    objective.refresh_from_db()
    assert objective.territory == savoie()
