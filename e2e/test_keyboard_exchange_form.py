"""Keyboard only: a Savoie officer logs in and logs an exchange with Tab, typing, Space and
Enter. Every stop shows where the focus is, every field has a name, and a rejected form says
what is wrong first."""

import re

import pytest
from playwright.sync_api import Page, expect
from support import PASSWORD, unique_title

# What the focused element looks like: an outline or a ring (box-shadow) counts as visible.
FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow && style.boxShadow !== "none";
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.name ? `[name=${el.name}]` : "") + (el.textContent || "").trim().slice(0, 30);
    // Past its day, month and year, a date field's calendar button has the focus: it is
    // inside the browser's own shadow tree, which draws a ring around it.
    const picker = el.type === "date" && !el.matches(":focus");
    return {name, visible: outline || ring || picker};
}"""

UNNAMED_FIELDS = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.type !== "hidden" && el.getClientRects().length > 0)
    .filter((el) => !(el.labels && [...el.labels].some((label) => label.textContent.trim()))
        && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
    .map((el) => el.name || el.id)"""


def tab_to(page: Page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until `selector` has the focus, checking that every stop is visible."""
    target = page.locator(selector)
    seen = []
    for press in range(limit):
        if press or not target.evaluate("el => el === document.activeElement"):
            page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            continue
        seen.append(focus["name"])
        assert focus["visible"], f"no visible focus on {focus['name']} ({page.url})"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}; it went through: {seen}")


def type_date(page: Page, iso: str) -> None:
    """Type a date into the focused date input, whatever order the browser shows its parts in."""
    year, month, day = iso.split("-")
    parts = {"y": year, "m": month, "d": day}
    for order in ("mdy", "dmy", "ymd"):
        page.keyboard.type("".join(parts[part] for part in order))
        if page.evaluate("document.activeElement.value") == iso:
            return
        page.keyboard.press("Shift+Tab")  # back to the first part of the date
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"could not type {iso} into the date field")


def assert_fields_named(page: Page) -> None:
    unnamed = page.evaluate(UNNAMED_FIELDS)
    assert not unnamed, f"fields without a label on {page.url}: {unnamed}"


@pytest.mark.parametrize("device", ["desktop"])
def test_officer_logs_an_exchange_with_the_keyboard_only(journey):
    page = journey.page
    journey.goto("/fr/accounts/login/")
    assert_fields_named(page)
    tab_to(page, "#id_username")
    page.keyboard.type("officer-savoie")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/$"))

    journey.open_menu()
    tab_to(page, 'header nav a[href="/fr/exchanges/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main .page-head a.button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/exchanges/new/$"))
    assert_fields_named(page)
    journey.step("empty-form")

    # The kind, then straight to the button: no title, no dates.
    tab_to(page, "#id_kind")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kind")).to_have_value("field_visit")
    tab_to(page, "form.exchange-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Refused: the errors come first, announced and focused, each tied to its field.
    summary = page.locator("form .error-summary[role=alert]")
    expect(summary).to_be_focused()
    title = page.locator("#id_title_fr")
    expect(title).to_have_attribute("aria-invalid", "true")
    described_by = title.get_attribute("aria-describedby").split()
    message = page.locator(f"#{described_by[-1]}")
    expect(message).to_be_visible()
    expect(message).not_to_be_empty()
    for field in ("start_date", "end_date"):
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_kind")).to_have_value("field_visit")  # kept
    assert_fields_named(page)
    journey.step("errors-announced")

    # The summary's first link leads to the title field.
    tab_to(page, 'form .error-summary a[href="#id_title_fr"]')
    page.keyboard.press("Enter")
    expect(title).to_be_focused()
    visit = unique_title("keyboard")
    page.keyboard.type(visit)
    tab_to(page, "#id_start_date")
    type_date(page, "2016-11-07")
    tab_to(page, "#id_end_date")
    type_date(page, "2016-11-08")
    tab_to(page, "#id_professionals_met_count")
    page.keyboard.type("3")
    # A folded list opens with Enter; a box is ticked with Space.
    tab_to(page, "fieldset.choices:has([name=establishments]) summary")
    page.keyboard.press("Enter")
    tab_to(page, "input[name=establishments] >> nth=0")
    page.keyboard.press("Space")
    tab_to(page, "input[name=strands] >> nth=1")
    page.keyboard.press("Space")
    expect(page.locator("input[name=strands]").nth(1)).to_be_checked()
    journey.step("form-filled")

    tab_to(page, "form.exchange-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # (The address keeps the #id_title_fr the summary's link added.)
    expect(page).to_have_url(re.compile(r"/fr/exchanges/\d+/(#id_title_fr)?$"))
    expect(page.locator("main h1")).to_have_text(visit)
    expect(page.locator("section[aria-labelledby=establishments-title] li")).to_have_count(1)
    journey.step("exchange-logged")
