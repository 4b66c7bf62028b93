"""Journey 1: a Savoie project officer logs a field visit, in French, and sees it counted."""

import re

from playwright.sync_api import expect
from support import Visit, fill_visit, home_figures, unique_title


def test_savoie_officer_logs_a_field_visit(journey):
    page = journey.page

    journey.goto("/fr/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main h1")).to_have_text("Se connecter")
    journey.step("login-page")

    page.fill("#id_username", "officer-savoie")
    page.fill("#id_password", "regard-croise-demo")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/$"))
    # The home page shows the latest published year (2017 in the demo); the visit is in 2016,
    # so the figures compared are 2016's.
    journey.goto("/fr/?year=2016")
    before = home_figures(page)
    journey.step("home-before")

    open_menu_link(journey, "exchanges/")
    expect(page).to_have_url(re.compile(r"/fr/exchanges/$"))
    journey.step("exchange-list")

    page.locator("main .page-head a.button").click()
    expect(page).to_have_url(re.compile(r"/fr/exchanges/new/$"))
    journey.step("empty-form")

    visit = Visit(title=unique_title(journey.device))
    fill_visit(page, visit)
    journey.step("filled-form")

    with page.expect_navigation():
        page.locator("form.exchange-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/exchanges/\d+/$"))
    expect(page.locator("main h1")).to_have_text(visit.title)
    expect(page.locator(".messages")).to_be_visible()
    establishments = page.locator("section[aria-labelledby=establishments-title] li")
    expect(establishments).to_have_count(2)
    for name in visit.establishments:  # typeset French on the page: d'Aix reads d’Aix
        expect(establishments.filter(has_text=name.replace("'", "’"))).to_have_count(1)
    expect(page.locator(".facts .tag")).to_have_text([visit.strand])
    journey.step("visit-logged")

    # The list, filtered on the visit's year, strand, territory and a word of its title.
    open_menu_link(journey, "exchanges/")
    page.fill("#id_q", visit.title.split()[-1])
    page.select_option("#id_territory", label="Savoie")
    page.select_option("#id_strand", label=visit.strand)
    page.select_option("#id_year", "2016")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "year=2016" in page.url
    assert "territory=savoie" in page.url
    items = page.locator(".exchange-list > li")
    expect(items).to_have_count(1)
    expect(items.locator("h2")).to_have_text(visit.title)
    journey.step("filtered-list")

    # The home page counts it: one more exchange, its professionals met, the same or more
    # establishments (the demo's establishments may have been visited already).
    open_menu_link(journey, "")
    journey.goto("/fr/?year=2016")
    after = home_figures(page)
    assert after.exchanges == before.exchanges + 1, (before, after)
    assert after.professionals_met == before.professionals_met + visit.professionals
    assert before.establishments_visited <= after.establishments_visited
    assert after.establishments_visited <= before.establishments_visited + 2
    journey.step("home-after")


def open_menu_link(journey, path: str) -> None:
    """Follow a link of the main menu, as a person would, on a phone too (where the site's
    name is the way home: the menu's "Accueil" is hidden to keep the header small)."""
    if path:  # on a phone the menu's items are behind its "Menu" disclosure
        journey.open_menu()
    links = journey.page.locator(f'header a[href="/fr/{path}"]:visible')
    link = links.first
    with journey.page.expect_navigation():
        link.click()
