"""A document too heavy for Bignona's uplink in one go (issue 20, item 6): a 1.25 MB PDF sent
over 150 kbit/s, the connection cut for a few seconds in the middle, arrives, resumed from what
the server held (never from zero), within 1.3 × its pure transfer time. (The 8 MB document of
the issue takes 7 minutes on that link: `make bench` measures it, benchmarks/upload.py.)

Chromium's emulated cut fails every request started while offline (the piece tried then) and
fires the page's `offline`/`online` events; a piece already on its way is let finish."""

import re
import secrets
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

UPLINK = 150_000 / 8  # bytes a second
SENT = "Envoyé"


@pytest.fixture(params=["phone"])
def device(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory):
    """A PDF of about 1.25 MB that does not compress: a scanned page of noise."""
    page = Image.effect_noise((1100, 1100), 90).convert("RGB")
    path = tmp_path_factory.mktemp("documents") / "compte-rendu-scanne.pdf"
    page.save(path, format="PDF", quality=95)
    return path


def throttle(session, *, offline: bool = False) -> None:
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": 100,
            "downloadThroughput": 400_000 / 8,
            "uploadThroughput": UPLINK,
        },
    )


def test_a_large_document_cut_halfway_resumes_and_arrives(journey, report_pdf):
    page, context = journey.page, journey.page.context
    size = report_pdf.stat().st_size
    assert 1_200_000 < size < 2_000_000
    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/")
    page.locator(".exchange-list h2 a").first.click()
    adding = page.locator("a", has_text="Ajouter une photo ou un document")
    journey.goto(adding.get_attribute("href"))
    exchange_path = re.sub(r"attachments/new/$", "", urlpath(page.url))
    caption = f"Compte rendu scanné {secrets.token_hex(3)}"
    page.set_input_files("#id_file", report_pdf)
    page.fill("#id_caption_fr", caption)

    pieces: list[str] = []
    failed: list[str] = []
    page.on(
        "request",
        lambda r: pieces.append(r.headers.get("content-range", "")) if r.method == "PUT" else None,
    )
    page.on("requestfailed", lambda r: failed.append(r.method) if r.method == "PUT" else None)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    throttle(session)

    started = time.monotonic()
    page.locator("form[data-outbox=attachment] button[type=submit]").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-outbox-progress]')].some(p => p.value >= 45)",
        timeout=120_000,
    )
    throttle(session, offline=True)  # the link drops for 4 s
    time.sleep(4)
    throttle(session)
    page.wait_for_url(re.compile(r"/fr/exchanges/(outbox/|\d+/)$"), timeout=200_000)
    if "/outbox/" in page.url:
        sent = page.locator("[data-outbox-here] .outbox-item", has_text=caption)
        expect(sent.locator(".outbox-state", has_text=SENT)).to_be_visible(timeout=200_000)
    took = time.monotonic() - started

    pure = size / UPLINK
    print(f"\n{size / 1e6:.2f} MB at 150 kbit/s: {took:.0f} s (pure transfer {pure:.0f} s)")
    assert failed, "the cut interrupted no piece"
    starts = [int(re.match(r"bytes (\d+)-", r).group(1)) for r in pieces if r]
    assert starts.count(0) == 1, f"the sending started again from zero: {starts}"
    assert took <= 1.3 * pure, f"{took:.0f} s for {pure:.0f} s of pure transfer"
    page.goto(exchange_path)
    expect(page.locator(".attachments li", has_text=caption)).to_contain_text("PDF")


def urlpath(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
