"""Journey 3: an elected official reads the published 2016 restitution, its charts, and
downloads its PDF, whose first pages are saved as pictures for a person to review."""

import re
import subprocess

from playwright.sync_api import Route, expect

# The demo's 2016 key figures (the source document's): professionals met, establishments
# visited, and the funding total.
PROFESSIONALS_MET = "50"
ESTABLISHMENTS_VISITED = "18"
FUNDING_TOTAL = "30 000 €"


def test_elected_official_reads_the_2016_restitution(journey):
    page = journey.page
    journey.log_in("elu-savoie")
    journey.step("home")

    journey.open_menu()
    with page.expect_navigation():
        page.locator('header nav a[href="/fr/restitutions/"]').click()
    row = page.locator("table.restitutions tbody tr", has=page.locator("th", has_text="2016"))
    expect(row).to_have_count(1)
    journey.step("restitution-list")

    with page.expect_navigation():
        row.locator('a[href="/fr/restitutions/2016/"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    figures = page.locator("#figures .big-figures dd")
    expect(figures.nth(0)).to_have_text(PROFESSIONALS_MET)
    expect(figures.nth(1)).to_have_text(ESTABLISHMENTS_VISITED)
    shown = figures.all_inner_texts()
    # The source's budget, 30 000 € given as money, beside the (illustrative) contributions in kind.
    financial = page.locator(".funding tfoot tr.financial td.num").first
    expect(financial).to_have_text(re.compile(r"30\s000\s€"))
    journey.step("restitution")

    # The charts say what the tables do not: the directions' balance is a picture whose text
    # alternative says every number; 2016's four strands have as many exchanges each, which a
    # sentence says better than four equal bars.
    expect(page.locator("#figures figure.chart svg[role=img]")).to_have_count(1)
    chart = page.locator("#figures svg[aria-labelledby=chart-balance-title]")
    expect(chart).to_be_visible()
    assert re.search(r"\d", chart.locator("title").text_content())
    expect(page.locator("#figures .charts p")).to_contain_text("Chaque volet")
    journey.step("charts", audit=False, part=page.locator("#figures .charts"))  # same page

    # The PDF, downloaded from the link. Headless Chromium would show an inline PDF in its
    # viewer, out of Playwright's reach: the same bytes are handed over as an attachment.
    pdf_link = page.locator(".report-tools a[href='/fr/restitutions/2016/pdf/']")
    served = {}

    def as_attachment(route: Route) -> None:
        response = route.fetch()
        served.update(response.headers)
        headers = {**response.headers, "content-disposition": "attachment"}
        route.fulfill(response=response, headers=headers)

    page.route("**/fr/restitutions/2016/pdf/", as_attachment)
    with page.expect_download() as download_info:
        pdf_link.click()
    download = download_info.value
    assert served["content-type"] == "application/pdf"
    assert served["content-disposition"].startswith("inline; filename=")
    pdf = journey.folder / "restitution-2016-fr.pdf"
    download.save_as(pdf)

    text = pdf_text(pdf)
    for figure in (PROFESSIONALS_MET, ESTABLISHMENTS_VISITED, *shown):
        assert re.search(rf"(?<![\d ]){re.escape(figure)}(?![\d])", text), figure
    assert FUNDING_TOTAL in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", pdf, journey.folder / "pdf-page"],
        check=True,
    )
    pages = sorted(journey.folder.glob("pdf-page-*.png"))
    assert len(pages) == 3, pages


def pdf_text(pdf) -> str:
    """The PDF's text, with its non-breaking spaces made plain (30 000 € → '30 000 €')."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    return re.sub(r"[\u00a0\u202f]", " ", text)
