"""A search engine reading a public page finds what it needs: a description of the page in
the page's language, the page's own address and its addresses in the other languages, all
absolute on the site's public address (French the default), and the site's icon at
/favicon.ico."""

import html
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

SITE = "https://regard-croise.example.org"


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = SITE


def head_of(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode().split("</head>", 1)[0])


def description_of(page: str) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert found, "no description"
    return found.group(1)


def links_of(page: str) -> dict[str, str]:
    """rel=canonical and each hreflang, with their href."""
    links = {}
    for tag in re.findall(r"<link [^>]*>", page):
        href = re.search(r'href="([^"]*)"', tag)
        if 'rel="canonical"' in tag:
            links["canonical"] = href.group(1)
        elif 'rel="alternate"' in tag:
            links[re.search(r'hreflang="([^"]*)"', tag).group(1)] = href.group(1)
    return links


@pytest.mark.parametrize("path", ["/questionings/", "/progress/", "/accounts/login/", "/"])
def test_every_public_page_names_itself_and_its_translations_absolutely(client, partnership, path):
    page = head_of(client.get(f"/en{path}"))

    assert links_of(page) == {
        "canonical": f"{SITE}/en{path}",
        "fr": f"{SITE}/fr{path}",
        "en": f"{SITE}/en{path}",
        "x-default": f"{SITE}/fr{path}",
    }


def test_a_page_with_a_query_keeps_it_in_its_addresses(client, partnership):
    page = head_of(client.get("/fr/progress/?year=2016"))

    assert links_of(page)["canonical"] == f"{SITE}/fr/progress/?year=2016"
    assert links_of(page)["en"] == f"{SITE}/en/progress/?year=2016"


@pytest.mark.parametrize(
    ("path", "french", "english"),
    [
        (
            "/accounts/login/",
            "Regard croisé, l’observatoire de la coopération décentralisée",
            "Regard croisé, the observatory of the decentralised cooperation",
        ),
        (
            "/questionings/",
            "Ce que chaque territoire remet en question dans ses propres pratiques",
            "What each territory questions in its own practice",
        ),
        (
            "/progress/",
            "Ce que le regard croisé",
            "What the cross view of",
        ),
    ],
)
def test_each_public_page_describes_itself_in_its_language(
    client, partnership, path, french, english
):
    assert description_of(head_of(client.get(f"/fr{path}"))).startswith(french)
    assert description_of(head_of(client.get(f"/en{path}"))).startswith(english)


def test_the_home_page_is_described_by_the_project(client, partnership):
    partnership.project_subtitle_fr = "Regard croisé sur l'action sociale entre élus."
    partnership.project_subtitle_en = "A cross-perspective on social action."
    partnership.save()

    french = description_of(head_of(client.get("/fr/")))
    english = description_of(head_of(client.get("/en/")))

    assert french == "Regard croisé sur l’action sociale entre élus."  # typeset by rule
    assert english == "A cross-perspective on social action."


def test_the_restitution_list_and_the_exchanges_describe_themselves(client, officer_savoie, visit):
    visit.summary_fr = "Deux jours dans les foyers de Chambéry : rencontres et ateliers."
    visit.save()
    client.force_login(officer_savoie)

    restitutions = description_of(head_of(client.get("/fr/restitutions/")))
    exchanges = description_of(head_of(client.get("/fr/exchanges/")))
    exchange = description_of(head_of(client.get(f"/en/exchanges/{visit.pk}/")))

    assert restitutions.startswith("Chaque année de la coopération Savoie – Bignona")
    assert exchanges.startswith("Les visites de terrain et les ateliers")
    # No English summary yet: the French one, as the page shows it.
    assert exchange == "Deux jours dans les foyers de Chambéry : rencontres et ateliers."


def test_the_site_icon_answers_at_favicon_ico(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    icon = b"".join(response)
    assert icon.startswith(b"\x00\x00\x01\x00")  # an ICO file's header
    with open(finders.find("icons/favicon.ico"), "rb") as static_icon:
        assert icon == static_icon.read()
