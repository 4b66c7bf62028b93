"""What several journeys do the same way: read the key figures, log a visit with the form."""

import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, expect

PASSWORD = "regard-croise-demo"


def wait_until(page: Page, expression: str, arg=None, *, timeout: float = 30_000) -> None:
    """Waits until `expression` (a function run in the page, async or not) answers true.
    Never page.wait_for_function for an async function: it takes the Promise it returns for a
    true answer and does not wait at all; page.evaluate awaits it."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"Still false after {timeout / 1000:.0f} s: {expression}")
        time.sleep(0.2)


@dataclass(frozen=True)
class Figures:
    professionals_met: int
    establishments_visited: int
    exchanges: int
    elected_officials: int


def home_figures(page: Page) -> Figures:
    """The key figures of the home page, in the order includes/key_figures.html shows them
    (read by position, so in any language)."""
    values = page.locator("section[aria-labelledby=figures-title] dl.figures").nth(1)
    numbers = [
        int(text.replace("\u202f", "").replace(" ", ""))
        for text in values.locator("dd").all_inner_texts()
    ]
    return Figures(*numbers)


def unique_title(device: str) -> str:
    """A title no other run or viewport uses, searchable by its last word."""
    return f"Visite de terrain e2e {device} {secrets.token_hex(3)}"


@dataclass(frozen=True)
class Visit:
    title: str
    start: str = "2016-10-04"
    end: str = "2016-10-05"
    place: str = "Chambéry"
    professionals: int = 7
    establishments: tuple[str, ...] = (
        "EHPAD de Chambéry",
        "Foyer-logement pour personnes âgées d'Aix-les-Bains",
    )
    strand: str = "Personnes âgées"


def fill_visit(page: Page, visit: Visit) -> None:
    """Fill the exchange form (/fr/exchanges/new/) as a Savoie officer would, with a mouse or a
    finger: a field visit of the Bignona delegation to Savoie."""
    page.select_option("#id_kind", "field_visit")
    page.fill("#id_title_fr", visit.title)
    page.fill("#id_summary_fr", "Visite de deux établissements pour personnes âgées.")
    page.fill("#id_start_date", visit.start)
    page.fill("#id_end_date", visit.end)
    page.fill("#id_place", visit.place)
    page.select_option("#id_visiting_territory", label="Bignona")
    page.fill("#id_professionals_met_count", str(visit.professionals))
    page.fill("#id_elected_officials_count", "0")
    page.fill("#id_technical_staff_count", "2")
    establishments = page.locator("fieldset.choices", has=page.locator("[name=establishments]"))
    establishments.locator("summary").click()
    for name in visit.establishments:
        box = establishments.locator("label", has_text=name).locator("input")
        box.check()
        expect(box).to_be_checked()
    strand = page.locator("label", has=page.locator("[name=strands]")).filter(has_text=visit.strand)
    strand.locator("input").check()


def log_visit_as(context: BrowserContext, username: str, visit: Visit) -> str:
    """Set-up, out of the journey's screenshots: an officer logs `visit` through the form.
    Returns the path of its page (/fr/exchanges/<pk>/)."""
    page = context.new_page()
    page.goto("/fr/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/fr/exchanges/new/")
    fill_visit(page, visit)
    with page.expect_navigation():
        page.locator("form.exchange-form button[type=submit]").click()
    path = urlsplit(page.url).path
    assert re.fullmatch(r"/fr/exchanges/\d+/", path), f"the visit was not logged: {page.url}"
    page.close()
    return path
