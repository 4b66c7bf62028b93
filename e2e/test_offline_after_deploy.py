"""Offline after a deploy (issue 20, item 5): a page kept on a phone before a new release is,
after it, still shown without a connection with its stylesheet and its outbox.

Release 1 is served from this checkout; release 2 is a copy of it whose stylesheet changed (a
new static digest, a new release), served on the same address with the same database, as a
deploy would."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, free_port, stop, wait_for
from playwright.sync_api import expect
from support import PASSWORD, wait_until
from test_offline_capture import fill_exchange, wait_until_kept_for_offline

MARK = '--release-mark: "2";'
NOT_COPIED = shutil.ignore_patterns(
    ".venv*", "node_modules", "staticfiles", "e2e-screenshots", ".git", "var", "media", "*.sqlite3"
)


@pytest.fixture
def deploy(tmp_path, logs):
    """Serves release 1 (this checkout); calling the result serves release 2 in its place."""
    data = tmp_path / "data"
    data.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(data / "media"),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOW_DEMO_DATA": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # the same for both: sessions last
        "VENV": str(Path(sys.executable).parent.parent),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "SERVE_TASK_WORKER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    log = logs / "deploy-server.log"
    url = f"http://127.0.0.1:{port}"
    output = log.open("w")
    for command in (["migrate", "--no-input"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=output, check=True
        )
    running = []

    def serve(root: Path) -> None:
        if running:
            stop(running.pop(), group=True)
        server = subprocess.Popen(
            [str(root / "scripts" / "serve.sh")],
            cwd=root,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        running.append(server)
        wait_for(f"{url}/fr/", process=server, log=log, seconds=180)

    def release_2() -> None:
        copy = tmp_path / "release-2"
        shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
        stylesheet = copy / "static" / "css" / "site.css"
        stylesheet.write_text(stylesheet.read_text() + f"\n:root {{ {MARK} }}\n")
        serve(copy)

    serve(ROOT)
    try:
        yield url, release_2
    finally:
        for server in running:
            stop(server, group=True)
        output.close()


def phone_of_bignona(browser, url):
    """Bignona's officer logged in on a phone that keeps the exchange form for offline use."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, base_url=url, locale="fr-FR"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/fr/accounts/login/")
    page.fill("#id_username", "officer-bignona")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    wait_until_kept_for_offline(page, "/fr/exchanges/new/")
    return context, page


def test_a_page_kept_before_a_deploy_works_offline_with_its_stylesheet_and_outbox(deploy, browser):
    url, release_2 = deploy
    context, page = phone_of_bignona(browser, url)
    before = page.evaluate("async () => await caches.keys()")

    release_2()
    page.goto("/fr/exchanges/")
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    wait_until(
        page,
        """async (before) => {
            const names = await caches.keys();
            const statics = names.filter((name) => name.startsWith("static-"));
            const pages = names.filter((name) => name.startsWith("pages-"));
            return statics.length === 1 && !before.includes(statics[0])
                && pages.length === 1 && !before.includes(pages[0])
                && !!(await caches.match(location.origin + "/fr/exchanges/new/"));
        }""",
        before,
        timeout=60_000,
    )

    context.set_offline(True)
    page.goto("/fr/exchanges/new/")  # the kept page, after the deploy
    mark = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--release-mark')"
    )
    assert mark.strip() == '"2"', "the kept page has not the new release's stylesheet"
    expect(page.locator(".outbox-offline")).to_be_visible()  # outbox.js runs
    fill_exchange(page, f"Après déploiement {secrets.token_hex(3)}")
    with page.expect_navigation(url=re.compile(r"/fr/exchanges/outbox/$")):
        page.locator("form.exchange-form button[type=submit]").click()
    expect(page.locator("[data-outbox-here] .outbox-item")).to_have_count(1)

    context.set_offline(False)
    expect(page.locator("[data-outbox-here] .outbox-state", has_text="Envoyé")).to_have_count(
        1, timeout=60_000
    )
    context.close()


def test_a_page_the_new_release_could_not_fetch_again_is_still_shown_offline(deploy, browser):
    """The new release's worker takes over but cannot fetch the kept pages again (here the
    session ended, as it does when the connection drops at that moment): the phone still shows
    the page it kept, with the stylesheet and scripts it names, and never "no connection"."""
    url, release_2 = deploy
    context, page = phone_of_bignona(browser, url)
    before = page.evaluate("async () => await caches.keys()")

    context.clear_cookies()  # each page fetched again is now the login page: not kept
    release_2()
    page.goto("/fr/")
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    wait_until(
        page,
        """async (before) => {
            const registration = await navigator.serviceWorker.getRegistration();
            const names = await caches.keys();
            return !registration.installing && !registration.waiting
                && registration.active.state === "activated"
                && names.some((name) => name.startsWith("static-") && !before.includes(name));
        }""",
        before,
        timeout=60_000,
    )

    context.set_offline(True)
    page.goto("/fr/exchanges/new/")  # kept by release 1, not fetched again
    expect(page.locator("#id_title_fr")).to_be_visible()
    styled = page.evaluate(
        "() => [...document.styleSheets].some((sheet) => sheet.cssRules.length > 0)"
    )
    assert styled, "the kept page is shown without its stylesheet"
    expect(page.locator(".outbox-offline")).to_be_visible()  # its outbox.js runs
    context.close()
