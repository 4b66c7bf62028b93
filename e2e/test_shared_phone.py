"""A phone shared by two officers (issue 19, item 7): what one of them did offline is never
sent, shown or offered under the other's name, and nothing of it is lost.

Bignona's officer logs an exchange offline and starts another one; the session ends without a
logout (the cookies go); Savoie's officer logs in on the same browser and goes online: nothing
of Bignona's is posted under Savoie's name, Savoie is told that an item waits for another
account, is offered none of Bignona's drafts and sees none of the pages kept for Bignona. When
Bignona's officer logs in again, the item leaves, saved under Bignona's name."""

import re
import secrets

import pytest
from playwright.sync_api import expect
from test_offline_capture import fill_exchange, items, wait_until_kept_for_offline

WAITING, SENT = "En attente d’envoi", "Envoyé"
BIGNONA, SAVOIE = "Chargé de mission Bignona", "Chargé de mission Savoie"
FOR_ANOTHER = "1 élément(s) de cet appareil attendent un autre compte"


@pytest.fixture(params=["phone"])
def device(request) -> str:
    return request.param


def account_of(page) -> int:
    return page.evaluate("() => JSON.parse(document.getElementById('webapp-config').text).user")


def caches_of(page, account: int) -> list[str]:
    """The service worker's caches that hold pages or photos kept for `account`."""
    names = page.evaluate("async () => await caches.keys()")
    return [name for name in names if name.endswith(f"-{account}")]


def test_a_shared_phone_keeps_each_officers_offline_work_for_them(journey):
    page, context = journey.page, journey.page.context
    title = f"Visite partagée {secrets.token_hex(3)}"

    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/")
    bignona = account_of(page)
    wait_until_kept_for_offline(page, "/fr/exchanges/new/")
    wait_until_kept_for_offline(page, "/fr/exchanges/outbox/")
    assert caches_of(page, bignona)
    context.set_offline(True)
    journey.goto("/fr/exchanges/new/")
    fill_exchange(page, title)
    with page.expect_navigation(url=re.compile(r"/fr/exchanges/outbox/$")):
        page.locator("form.exchange-form button[type=submit]").click()
    expect(items(page)).to_have_count(1)
    expect(items(page).first).to_contain_text(WAITING)
    journey.goto("/fr/exchanges/new/")  # another one, half typed: a draft on the phone
    page.fill("#id_title_fr", "Brouillon de Bignona")
    page.wait_for_function(
        "() => Object.keys(localStorage).some((key) => key.startsWith('regard-croise:draft:'))"
    )
    journey.step("bignona-offline", audit=False)

    context.clear_cookies()  # the session ends without a logout
    context.set_offline(False)
    journey.log_in("officer-savoie")
    expect(page.locator("header .who")).to_contain_text(SAVOIE)
    notice = page.locator("[data-outbox-others]")
    expect(notice).to_contain_text(FOR_ANOTHER)
    journey.step("savoie-told-of-items-for-another-account")
    expect(page.locator(".outbox-item")).to_have_count(0)  # none of Bignona's items shown

    journey.goto("/fr/exchanges/outbox/")
    expect(page.locator("[data-outbox-others]")).to_contain_text(FOR_ANOTHER)
    expect(items(page)).to_have_count(0)
    journey.goto("/fr/exchanges/new/")
    expect(page.locator("[data-draft-banner]")).to_be_hidden()  # Bignona's draft not offered
    expect(page.locator("#id_title_fr")).to_have_value("")
    journey.goto(f"/fr/exchanges/?q={title.split()[-1]}")
    expect(page.locator(".exchange-list h2 a", has_text=title)).to_have_count(0)
    wait_until_kept_for_offline(page, "/fr/exchanges/new/")
    assert caches_of(page, account_of(page)), "nothing kept for Savoie"
    assert not caches_of(page, bignona), "pages kept for Bignona are still on the phone"
    context.set_offline(True)
    journey.goto("/fr/exchanges/new/")  # the kept page is Savoie's own
    expect(page.locator("header .who")).to_contain_text(SAVOIE)
    context.set_offline(False)

    context.clear_cookies()  # Savoie's session ends too
    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/outbox/")
    expect(items(page).locator(".outbox-state", has_text=SENT)).to_have_count(1, timeout=60_000)
    expect(page.locator("[data-outbox-others]")).to_have_count(0)
    journey.step("bignona-item-sent")
    journey.goto(f"/fr/exchanges/?q={title.split()[-1]}")
    link = page.locator(".exchange-list h2 a", has_text=title)
    expect(link).to_have_count(1)
    journey.goto(link.get_attribute("href"))
    expect(page.locator("main")).to_contain_text(f"Saisi par Démo {BIGNONA}")


def test_an_item_sent_after_the_cookies_are_cleared_asks_to_log_in_again(journey):
    """Never "Refusé (erreur 403)": the item waits, and leaves after the next login."""
    page, context = journey.page, journey.page.context
    title = f"Session finie {secrets.token_hex(3)}"
    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/")
    wait_until_kept_for_offline(page, "/fr/exchanges/new/")
    wait_until_kept_for_offline(page, "/fr/exchanges/outbox/")
    context.set_offline(True)
    journey.goto("/fr/exchanges/new/")
    fill_exchange(page, title)
    with page.expect_navigation(url=re.compile(r"/fr/exchanges/outbox/$")):
        page.locator("form.exchange-form button[type=submit]").click()

    context.clear_cookies()
    context.set_offline(False)
    reason = items(page).locator(".outbox-reason")
    expect(reason).to_contain_text("Reconnectez-vous", timeout=30_000)
    expect(items(page).first).to_contain_text(WAITING)
    expect(items(page).first).not_to_contain_text("Refusé")
    journey.step("asked-to-log-in-again", audit=False)

    journey.log_in("officer-bignona")
    journey.goto("/fr/exchanges/outbox/")
    expect(items(page).locator(".outbox-state", has_text=SENT)).to_have_count(1, timeout=60_000)
