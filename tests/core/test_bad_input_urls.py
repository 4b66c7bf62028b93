"""Bad values in the address itself (ids, years, version numbers, editions, territories,
language prefixes): not found, never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bad_input import FAST, encoded, odd_value, publish_without_rendering
from tests.factories import AttachmentFactory, ExchangeFactory
from tests.reporting_factories import RestitutionFactory

pytestmark = pytest.mark.django_db

ids = st.one_of(
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["0", "00000000000000000001", "9" * 19, "9" * 20, "9" * 5000]),
)

EXCHANGE_PAGES = [
    ("GET", "/fr/exchanges/{id}/"),
    ("GET", "/fr/exchanges/{id}/edit/"),
    ("POST", "/fr/exchanges/{id}/edit/"),
    ("POST", "/fr/exchanges/{id}/delete/"),
    ("GET", "/fr/exchanges/{id}/cross-views/savoie/"),
    ("POST", "/fr/exchanges/{id}/attachments/new/"),
    ("GET", "/fr/exchanges/attachments/{id}/"),
    ("POST", "/fr/exchanges/attachments/{id}/delete/"),
]


@pytest.fixture
def world(partnership, administrator, media_root):
    """An exchange with a file, and the 2016 restitution published: the ids that exist."""
    attachment = AttachmentFactory(exchange=ExchangeFactory())
    publish_without_rendering(RestitutionFactory(partnership=partnership), administrator)
    return {str(attachment.pk), str(attachment.exchange_id)}


def exists(id: str, existing: set[str]) -> bool:
    return id.lstrip("0") in existing


@FAST
@given(id=ids, page=st.sampled_from(EXCHANGE_PAGES))
def test_an_unknown_or_impossible_id_is_not_found(client, administrator, world, id, page):
    client.force_login(administrator)
    method, url = page

    response = getattr(client, method.lower())(url.format(id=id))

    assert response.status_code in (200, 302, 404)
    if not exists(id, world):
        assert response.status_code == 404


@FAST
@given(
    year=ids,
    number=ids,
    edition=st.one_of(odd_value, st.sampled_from(["fr", "en", "bilingual"])),
    format=st.one_of(odd_value, st.sampled_from(["pdf", "html"])),
    page=st.sampled_from(["", "pdf/", "edit/", "versions/", "publish/", "file"]),
)
def test_an_unknown_or_impossible_restitution_address_is_not_found(
    client, administrator, world, year, number, edition, format, page
):
    client.force_login(administrator)
    if page == "file":
        url = f"/fr/restitutions/{year}/versions/{number}/{encoded(edition)}.{encoded(format)}"
    else:
        url = f"/fr/restitutions/{year}/{page}"

    response = client.post(url) if page == "publish/" else client.get(url)

    assert response.status_code in (200, 302, 404)
    if year.lstrip("0") != "2016":
        assert response.status_code == 404


@FAST
@given(territory=odd_value, language=odd_value, rest=odd_value)
def test_an_odd_territory_language_or_path_is_not_found(
    client, officer_savoie, world, territory, language, rest
):
    client.force_login(officer_savoie)

    responses = [
        client.get(f"/fr/exchanges/1/cross-views/{encoded(territory)}/"),
        client.get(f"/{encoded(language)}/exchanges/"),
        client.get(f"/fr/{encoded(rest)}/"),
        client.get(f"/fr/exchanges/{encoded(rest)}"),
    ]

    for response in responses:
        # 301: the same address with its trailing slash
        assert response.status_code in (200, 301, 302, 403, 404), response.request["PATH_INFO"]


@FAST
@given(language=odd_value, next=odd_value)
def test_the_language_switch_takes_any_value(client, language, next):
    from tests.bad_input import post_raw

    response = post_raw(client, "/i18n/setlang/", {"language": language, "next": next})

    assert response.status_code in (302, 204)
    if response.status_code == 302:
        assert not response["Location"].startswith("//")
