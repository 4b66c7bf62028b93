"""Bad values in the exchange form and the cross view form, the hidden version included: the
form comes back saying what is wrong (or the conflict page), never a server error, and a
rejected post saves nothing, not even half of it."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchanges.models import CrossView, Exchange
from tests.bad_input import (
    FAST,
    MISSING,
    ODD_VALUES,
    assert_answered_clearly,
    odd_or_missing,
    odd_value,
    post_raw,
)
from tests.factories import (
    CrossViewFactory,
    EstablishmentFactory,
    ExchangeFactory,
    StrandFactory,
    exchange_form_data,
)

pytestmark = pytest.mark.django_db

MANY = ["strands", "questionings", "recommendations", "establishments"]
FIELDS = [
    "kind",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "start_date",
    "end_date",
    "place",
    "host_territory",
    "visiting_territory",
    "professionals_met_count",
    "elected_officials_count",
    "technical_staff_count",
    "follow_up_fr",
    "follow_up_en",
    "version",
    *MANY,
]


@pytest.fixture
def visit(partnership):
    strand = StrandFactory(partnership=partnership)
    exchange = ExchangeFactory(strands=[strand], establishments=[EstablishmentFactory()])
    CrossViewFactory(exchange=exchange, text_fr="Ce que la Savoie en retient.")
    return exchange


def state() -> tuple:
    """Every row an exchange form or a cross view form writes."""
    return (
        list(Exchange.objects.order_by("pk").values()),
        list(Exchange.strands.through.objects.order_by("pk").values()),
        list(Exchange.establishments.through.objects.order_by("pk").values()),
        list(CrossView.objects.order_by("pk").values()),
        Exchange.history.count(),
        CrossView.history.count(),
    )


bad_changes = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(odd_or_missing, st.lists(odd_value, min_size=1, max_size=3)),
    min_size=1,
    max_size=4,
)


def _answered(response, before) -> None:
    assert_answered_clearly(response)
    if response.status_code != 302:
        assert state() == before, "a rejected post saved something"


@FAST
@given(changes=bad_changes)
def test_a_new_exchange_with_bad_values_is_refused_with_a_message(
    client, officer_savoie, visit, changes
):
    client.force_login(officer_savoie)
    before = state()

    response = post_raw(client, "/fr/exchanges/new/", exchange_form_data(**changes))

    _answered(response, before)


@FAST
@given(changes=bad_changes)
def test_an_edit_with_bad_values_or_a_tampered_version_is_refused_with_a_message(
    client, officer_savoie, visit, changes
):
    client.force_login(officer_savoie)
    visit.refresh_from_db()
    before = state()

    response = post_raw(
        client, f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, **changes)
    )

    _answered(response, before)


@FAST
@given(
    text_fr=odd_or_missing,
    text_en=odd_or_missing,
    version=odd_or_missing,
    side=st.sampled_from(["savoie", "bignona"]),
)
def test_a_cross_view_with_bad_values_or_a_tampered_version_is_refused_with_a_message(
    client, officer_savoie, officer_bignona, visit, text_fr, text_en, version, side
):
    client.force_login(officer_savoie if side == "savoie" else officer_bignona)
    before = state()

    response = post_raw(
        client,
        f"/fr/exchanges/{visit.pk}/cross-views/{side}/",
        {"text_fr": text_fr, "text_en": text_en, "version": version},
    )

    _answered(response, before)


def test_every_known_odd_value_in_every_field_of_the_exchange_form(client, officer_savoie, visit):
    client.force_login(officer_savoie)
    before = state()
    for odd in ODD_VALUES:
        changes = dict.fromkeys(FIELDS, odd)
        response = post_raw(
            client, f"/fr/exchanges/{visit.pk}/edit/", exchange_form_data(visit, **changes)
        )
        cross_view = post_raw(
            client,
            f"/fr/exchanges/{visit.pk}/cross-views/savoie/",
            {"text_fr": odd, "text_en": odd, "version": odd},
        )

        assert response.status_code == cross_view.status_code == 200, odd[:40]
        assert_answered_clearly(response)
        assert_answered_clearly(cross_view)
        assert state() == before, odd[:40]


@pytest.mark.parametrize("version", ["0", "1", "2", "-1", "99", "9" * 30, "", MISSING])
def test_a_tampered_version_never_overwrites_silently(client, officer_savoie, visit, version):
    """Only the version the exchange is at saves; any other shows the conflict (or the form)."""
    client.force_login(officer_savoie)
    visit.refresh_from_db()
    current = visit.version

    response = post_raw(
        client,
        f"/fr/exchanges/{visit.pk}/edit/",
        exchange_form_data(visit, title_fr="Changé", version=version),
    )

    visit.refresh_from_db()
    if version == str(current):
        assert response.status_code == 302
        assert visit.title_fr == "Changé"
    else:
        assert response.status_code == 200
        assert visit.title_fr != "Changé"
