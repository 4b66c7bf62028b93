"""An administrator in Bignona edits an exchange in the admin: the French and English fields
are in tabs that work under the site's Content-Security-Policy (jQuery UI served by the site,
not by a CDN the policy blocks), and the date fields say nothing about the server's time zone.

Unlike the journeys' contexts, this one keeps the Content-Security-Policy in force
(bypass_csp off): what is tested is that the policy lets the tabs work. The Django admin's
own markup is not ours, so the pages are not audited (axe-core, Nu Html Checker) here."""

from conftest import DEVICES, SCREENSHOTS
from playwright.sync_api import expect
from support import PASSWORD


def test_an_administrator_switches_an_exchange_title_to_english(browser, base_url):
    folder = SCREENSHOTS / "admin_translation_tabs"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        **DEVICES["desktop"],
        base_url=base_url,
        locale="fr-FR",
        timezone_id="Africa/Dakar",  # UTC+0 all year, while the server keeps Paris time
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto("/fr/admin/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("input[type=submit]").click()
        page.goto("/fr/admin/exchanges/exchange/")
        with page.expect_navigation() as navigation:
            page.locator("#result_list tbody tr th a").first.click()
        assert "script-src 'self'" in navigation.value.headers["content-security-policy"]

        french, english = page.locator("#id_title_fr"), page.locator("#id_title_en")
        expect(french).to_be_visible()
        expect(english).to_be_hidden()  # the tabs are built: only the French field shows
        page.screenshot(path=folder / "01-french-tab.png")

        page.locator("a[href='#tab_id_title_en']").click()

        expect(english).to_be_visible()
        expect(french).to_be_hidden()
        expect(english).not_to_have_value("")  # the demo exchange's English title
        page.screenshot(path=folder / "02-english-tab.png")

        # A date has no time zone: no "you are N hours behind server time" under it.
        expect(page.locator("#id_start_date")).to_be_visible()
        expect(page.locator(".timezonewarning:visible")).to_have_count(0)
        assert problems == [], f"the page's scripts failed: {problems}"
    finally:
        context.close()
