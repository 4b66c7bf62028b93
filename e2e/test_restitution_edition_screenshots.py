"""The published 2016 restitution as an elected official sees it, kept as pictures for a person
to review (e2e-screenshots/restitution_edition_pages/<desktop|phone>/): its cover, its key
figures, the bilingual edition's one cover naming both titles, and a bilingual spread (French
and English side by side on a desktop, one after the other on a phone), each in its own `lang`;
and the bilingual PDF's cover and first facing pages."""

import re
import subprocess

from playwright.sync_api import Route, expect


def test_restitution_edition_pages(journey):
    page = journey.page
    journey.log_in("elu-savoie")

    page.goto("/fr/restitutions/2016/")
    cover = page.locator("header.cover").first
    expect(cover).to_contain_text("Un document du Département de la Savoie")
    expect(cover).not_to_contain_text("Version")
    journey.step("cover", part=cover)

    figures = page.locator("#figures")
    expect(figures.locator(".big-figures dd").first).to_have_text("50")
    journey.step("key-figures", audit=False, part=figures)  # the page is audited just above

    page.goto("/fr/restitutions/2016/?edition=bilingual")
    # One bilingual cover (docs/restitution.md): the French title and its English one, the
    # subtitle in both languages.
    cover = page.locator("header.cover")
    expect(cover).to_have_count(1)
    expect(cover).to_have_attribute("lang", "fr")
    expect(cover.locator("h1.cover-title")).to_be_visible()
    english_title = cover.locator(".cover-title-second[lang=en]")
    expect(english_title).to_be_visible()
    expect(english_title).not_to_have_text(cover.locator("h1.cover-title").inner_text())
    expect(cover.locator(".cover-subtitle[lang=en]")).to_be_visible()
    journey.step("bilingual-cover", part=cover)
    spread = page.locator(".spread", has=page.locator("[id$='-focus']")).first
    expect(spread.locator("[lang=fr]").first).to_be_visible()
    expect(spread.locator("[lang=en]").first).to_be_visible()
    if journey.device == "desktop":  # side by side: the English column starts level with the French
        french, english = (spread.locator(f"[lang={lang}]").first for lang in ("fr", "en"))
        assert english.bounding_box()["x"] > french.bounding_box()["x"] + 200
        assert abs(english.bounding_box()["y"] - french.bounding_box()["y"]) < 40
    journey.step("bilingual-spread", part=spread)

    if journey.device != "desktop":
        return
    served = {}

    def as_attachment(route: Route) -> None:
        response = route.fetch()
        served.update(response.headers)
        route.fulfill(
            response=response, headers={**response.headers, "content-disposition": "attachment"}
        )

    page.route(re.compile(r"/restitutions/2016/pdf/"), as_attachment)
    with page.expect_download() as download_info:
        page.evaluate("() => { location.href = '/fr/restitutions/2016/pdf/?edition=bilingual'; }")
    pdf = journey.folder / "restitution-2016-bilingual.pdf"
    download_info.value.save_as(pdf)
    assert served["content-type"] == "application/pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "8", pdf, journey.folder / "pdf-page"],
        check=True,
    )
    assert len(list(journey.folder.glob("pdf-page-*.png"))) == 8
