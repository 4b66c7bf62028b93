"""A summary, a follow-up, a cross view, a restitution's introduction or conclusion is capped
at what a person writes (20 000 characters, in each language): a longer one comes back with a
translated message next to its field and the text kept, and nothing is saved. The models
refuse it too, so the admin and the services cannot store it either."""

import pytest
from django.core.exceptions import ValidationError

from core.limits import LONG_TEXT_MAX
from exchanges.models import CrossView, Exchange
from reporting.models import Restitution
from reporting.services import restitution_update
from tests.factories import ExchangeFactory, exchange_form_data
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "Très long. " * (LONG_TEXT_MAX // 11) + "x" * (LONG_TEXT_MAX % 11 + 1)
JUST_RIGHT = TOO_LONG[:LONG_TEXT_MAX]
MESSAGE = f"Ce texte compte {LONG_TEXT_MAX + 1} caractères"


def _field_errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return form.errors.get(field, [])


@pytest.fixture
def exchange(partnership):
    return ExchangeFactory(partnership=partnership, title_fr="Visite à Chambéry")


@pytest.mark.parametrize("field", ["summary_fr", "summary_en", "follow_up_fr", "follow_up_en"])
def test_an_exchange_text_too_long_is_refused_next_to_its_field_and_kept(
    client, officer_savoie, exchange, field
):
    client.force_login(officer_savoie)

    response = client.post(
        f"/fr/exchanges/{exchange.pk}/edit/", exchange_form_data(exchange, **{field: TOO_LONG})
    )

    assert response.status_code == 200
    assert any(MESSAGE in error for error in _field_errors(response, field))
    assert TOO_LONG.replace("'", "&#x27;") in response.content.decode()  # kept in the form
    exchange.refresh_from_db()
    assert getattr(exchange, field) in ("", None)
    assert exchange.version == 1


def test_an_exchange_text_of_the_largest_size_is_saved(client, officer_savoie, exchange):
    client.force_login(officer_savoie)

    response = client.post(
        f"/fr/exchanges/{exchange.pk}/edit/", exchange_form_data(exchange, summary_fr=JUST_RIGHT)
    )

    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.summary_fr == JUST_RIGHT


@pytest.mark.parametrize("field", ["text_fr", "text_en"])
def test_a_cross_view_too_long_is_refused_next_to_its_field_and_kept(
    client, officer_savoie, exchange, field
):
    client.force_login(officer_savoie)
    data = {"text_fr": "Ce que nous retenons.", "version": "0", field: TOO_LONG}

    response = client.post(f"/fr/exchanges/{exchange.pk}/cross-views/savoie/", data)

    assert response.status_code == 200
    assert any(MESSAGE in error for error in _field_errors(response, field))
    assert TOO_LONG in response.content.decode()
    assert not CrossView.objects.filter(exchange=exchange).exists()


@pytest.mark.parametrize(
    "field", ["introduction_fr", "introduction_en", "conclusion_fr", "conclusion_en"]
)
def test_a_restitution_text_too_long_is_refused_next_to_its_field_and_kept(
    client, partnership, officer_savoie, field
):
    restitution = RestitutionFactory(partnership=partnership)
    before = restitution.introduction_fr
    client.force_login(officer_savoie)
    data = {"introduction_fr": "Introduction.", "conclusion_fr": "Fin.", field: TOO_LONG}

    response = client.post("/fr/restitutions/2016/edit/", data)

    assert response.status_code == 200
    assert any(MESSAGE in error for error in _field_errors(response, field))
    assert TOO_LONG in response.content.decode()
    restitution.refresh_from_db()
    assert restitution.introduction_fr == before


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Exchange, "summary_fr"),
        (Exchange, "summary_en"),
        (Exchange, "follow_up_fr"),
        (Exchange, "follow_up_en"),
        (CrossView, "text_fr"),
        (CrossView, "text_en"),
        (Restitution, "introduction_fr"),
        (Restitution, "introduction_en"),
        (Restitution, "conclusion_fr"),
        (Restitution, "conclusion_en"),
    ],
)
def test_the_model_refuses_a_text_too_long_whoever_saves_it(model, field):
    """What the admin's forms and the services run: `full_clean()`."""
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(field).clean(TOO_LONG, model())
    assert MESSAGE in " ".join(refused.value.messages)


def test_the_restitution_service_refuses_a_text_too_long(partnership, officer_savoie):
    restitution = RestitutionFactory(partnership=partnership)

    with pytest.raises(ValidationError) as refused:
        restitution_update(
            restitution=restitution,
            user=officer_savoie,
            introduction_fr=TOO_LONG,
            introduction_en="",
            conclusion_fr="",
            conclusion_en="",
        )

    assert "introduction_fr" in refused.value.message_dict
    restitution.refresh_from_db()
    assert restitution.introduction_fr != TOO_LONG
