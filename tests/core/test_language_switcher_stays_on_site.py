"""The language switcher links to the page in the other language, never to another site."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["//evil.example/phish", "/\\evil.example/phish", "///evil.example/phish"]
)
def test_a_scheme_relative_path_does_not_become_a_link_to_another_site(client, path):
    response = client.get("/", PATH_INFO=path)

    html = response.content.decode()
    assert response.status_code == 404
    assert 'href="//' not in html
    assert 'href="/\\' not in html
    assert 'href="///' not in html
    assert 'href="/en/" hreflang="en"' in html  # that language's home page


def test_the_switcher_keeps_the_page_and_its_query(client, partnership):
    response = client.get("/fr/questionings/?strand=2")

    assert 'href="/en/questionings/?strand=2" hreflang="en"' in response.content.decode()
