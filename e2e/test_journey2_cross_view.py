"""Journey 2: a Bignona project officer reads a Savoie visit in English and in French, writes
Bignona's cross view (never Savoie's) and loses nothing when the network drops during the save:
the cross view waits on the device and is sent when the network returns."""

import re

from playwright.sync_api import expect
from support import Visit, log_visit_as, unique_title, wait_until

DRAFT_PREFIX = "regard-croise:draft:"
CROSS_VIEW = (
    "Côté Bignona : la visite montre comment un établissement associe les familles à la vie "
    "des résidents ; une piste pour nos cases de santé."
)


def test_bignona_officer_writes_the_cross_view(journey, new_context):
    page = journey.page
    visit = Visit(title=unique_title(journey.device))
    visit_path = log_visit_as(new_context(), "officer-savoie", visit)  # hosted by Savoie
    pk = visit_path.strip("/").split("/")[-1]

    journey.log_in("officer-bignona")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    journey.step("home-in-french")

    # The interface in English: the language switcher keeps the page.
    switch_language(journey, "en")
    expect(page).to_have_url(re.compile(r"/en/$"))
    journey.open_menu()
    expect(page.locator("header nav")).to_contain_text("Exchanges")
    journey.step("home-in-english")

    with page.expect_navigation():
        page.locator('header nav a[href="/en/exchanges/"]').click()
    page.fill("#id_q", visit.title.split()[-1])
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    with page.expect_navigation():
        page.locator(".exchange-list h2 a", has_text=visit.title).click()
    expect(page).to_have_url(re.compile(rf"/en/exchanges/{pk}/$"))
    expect(page.locator("#cross-title")).to_have_text("The cross-perspective")  # glossary
    journey.step("visit-in-english")

    # … and back to French, on the same page.
    switch_language(journey, "fr")
    expect(page).to_have_url(re.compile(rf"/fr/exchanges/{pk}/$"))
    expect(page.locator("#cross-title")).to_have_text("Le regard croisé")
    expect(side(page, "Savoie").locator("a.button")).to_have_count(0)  # Savoie's: read only
    expect(side(page, "Bignona").locator("a.button")).to_have_attribute(
        "href", f"/fr/exchanges/{pk}/cross-views/bignona/"
    )
    journey.step("visit-in-french")

    # Savoie's side cannot be written, even at its address: the 403 page says why.
    journey.goto(f"/fr/exchanges/{pk}/cross-views/savoie/", status=403)
    expect(page.locator("main [role=alert]")).to_be_visible()
    journey.step("savoie-side-refused")

    journey.goto(visit_path)
    with page.expect_navigation():
        side(page, "Bignona").locator("a.button").click()
    form_path = f"/fr/exchanges/{pk}/cross-views/bignona/"
    expect(page).to_have_url(re.compile(f"{form_path}$"))
    journey.step("cross-view-form")

    # What is typed stays in this browser: the form opened again offers it back.
    page.fill("#id_text_fr", CROSS_VIEW)
    page.wait_for_timeout(500)  # drafts.js keeps what is typed after a short pause
    journey.goto(form_path)
    expect(page.locator("#id_text_fr")).to_have_value("")
    banner = page.locator("[data-draft-banner]")
    expect(banner).to_be_visible()
    journey.step("draft-offered")

    banner.locator("[data-draft-restore]").click()
    expect(page.locator("#id_text_fr")).to_have_value(CROSS_VIEW)
    expect(banner).to_be_hidden()
    journey.step("draft-restored")

    # The network drops while saving: the cross view waits on the device, then leaves by itself.
    wait_until(
        page, """async () => !!(await caches.match(location.origin + "/fr/exchanges/outbox/"))"""
    )
    page.context.set_offline(True)
    with page.expect_navigation(url=re.compile(r"/fr/exchanges/outbox/$")):
        page.locator("form[data-draft-key] button[type=submit]").click()
    item = page.locator("[data-outbox-here] .outbox-item")
    expect(item).to_contain_text("En attente d’envoi")
    journey.step("save-kept-offline")

    page.context.set_offline(False)
    expect(item.locator(".outbox-state")).to_have_text("Envoyé", timeout=60_000)
    journey.step("sent-when-back-online")
    journey.goto(visit_path)
    expect(side(page, "Bignona")).to_contain_text(CROSS_VIEW)
    journey.step("cross-view-saved")
    # Saved: the browser forgot the draft (the same in French and in English).
    account = page.evaluate("() => JSON.parse(document.getElementById('webapp-config').text).user")
    page.wait_for_function(
        "key => localStorage.getItem(key) === null",
        arg=f"{DRAFT_PREFIX}{account}:{form_path.removeprefix('/fr')}",
    )


def switch_language(journey, language: str) -> None:
    with journey.page.expect_navigation():
        journey.page.locator(f'header .languages a[hreflang="{language}"]').click()
    expect(journey.page.locator("html")).to_have_attribute("lang", language)


def side(page, territory: str):
    """One territory's side of the cross view on an exchange's page."""
    return page.locator(".cross-view", has=page.locator("h3", has_text=territory))
