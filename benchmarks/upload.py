"""A large document over Bignona's link (issue 20, item 6), part of `make bench`; alone:
`python -m benchmarks.upload [--megabytes 8] [--cut 4]`.

The app as `make serve` serves it (scripts/serve.sh), with the demo data in a throwaway SQLite
database (the link is measured, not the data), and Debian's Chromium driven by Playwright
(`make e2e-deps`). Bignona's officer adds a scanned PDF (noise: it does not compress) to an
exchange over an emulated link (CDP Network.emulateNetworkConditions: 150 kbit/s up, 600 ms
latency); once the outbox shows about 45 % sent, the link is cut for `--cut` seconds. Measured:
the time from the click to the document saved, against its pure transfer time (its bytes at
150 kbit/s); the target is at most 1.3 ×. Also said: the pieces' first bytes, so that a sending
that started again from zero shows.

What Chromium's emulation does with a cut: a request started while offline fails at once, and
the `online`/`offline` events fire in the page; a piece already on its way is not failed (its
throttling is released). A cut therefore costs its seconds offline and the piece tried during
them, and the sending resumes from what the server holds.
"""

import argparse
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "regard-croise-demo"  # the demo accounts' (public) password: a throwaway database
TARGET = 1.3


def scanned_pdf(path: Path, megabytes: float) -> Path:
    """A PDF of about `megabytes` MB: a page of noise, which no compression makes smaller."""
    from PIL import Image

    side = round(1100 * math.sqrt(megabytes / 1.25))  # 1 100 px a side: about 1.25 MB
    Image.effect_noise((side, side), 90).convert("RGB").save(path, format="PDF", quality=95)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class App:
    """migrate, load_demo, then scripts/serve.sh on a free port; its process group stopped on
    exit."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOW_DEMO_DATA": "1",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "VENV": str(Path(sys.executable).parent.parent),
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "3",
        }

    def __enter__(self) -> "App":
        log = self.folder / "server.log"
        self.output = log.open("w")
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--no-input"], ["load_demo"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=self.env, stdout=self.output,
                           stderr=subprocess.STDOUT, check=True)  # fmt: skip
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=self.env, stdout=self.output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/fr/", timeout=5):
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit(f"The app did not answer: see {log}")

    def __exit__(self, *exc) -> None:
        """Stops the whole group (gunicorn's workers and the task worker outlive serve.sh)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                os.killpg(self.process.pid, 0)  # ProcessLookupError once all have gone
                time.sleep(0.2)
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.output.close()


def link(session, *, uplink: float, latency: int, offline: bool = False) -> None:
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": latency,
            "downloadThroughput": 4 * uplink,
            "uploadThroughput": uplink,
        },
    )


def send_document(base: str, pdf: Path, *, kbits: int, latency: int, cut: float) -> dict:
    """Bignona's officer adds `pdf` to the first exchange of the list over the emulated link,
    cut once at about 45 %; the figures of that sending."""
    from playwright.sync_api import expect, sync_playwright

    uplink = kbits * 1000 / 8  # bytes a second
    size = pdf.stat().st_size
    pure = size / uplink
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, is_mobile=True, base_url=base, locale="fr-FR"
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto("/fr/accounts/login/")
        page.fill("#id_username", "officer-bignona")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        page.goto("/fr/exchanges/")
        page.locator(".exchange-list h2 a").first.click()
        adding = page.locator("a", has_text="Ajouter une photo ou un document")
        page.goto(adding.get_attribute("href") or "")
        caption = f"Compte rendu scanné {secrets.token_hex(3)}"
        page.set_input_files("#id_file", pdf)
        page.fill("#id_caption_fr", caption)
        starts: list[int] = []
        failed: list[str] = []

        def on_request(request) -> None:
            found = re.match(r"bytes (\d+)-", request.headers.get("content-range", ""))
            if request.method == "PUT" and found:
                starts.append(int(found.group(1)))

        page.on("request", on_request)
        page.on("requestfailed", lambda r: failed.append(r.url) if r.method == "PUT" else None)
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        link(session, uplink=uplink, latency=latency)
        started = time.monotonic()
        page.locator("form[data-outbox=attachment] button[type=submit]").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-outbox-progress]')]"
            ".some(p => p.value >= 45)",
            timeout=pure * 2 * 1000,
        )
        cut_at = time.monotonic() - started
        link(session, uplink=uplink, latency=latency, offline=True)
        page.wait_for_timeout(cut * 1000)  # Playwright's events go on while it waits
        link(session, uplink=uplink, latency=latency)
        page.wait_for_url(re.compile(r"/fr/exchanges/(outbox/|\d+/)$"), timeout=pure * 3 * 1000)
        if "/outbox/" in page.url:
            item = page.locator("[data-outbox-here] .outbox-item", has_text=caption)
            expect(item.locator(".outbox-state", has_text="Envoyé")).to_be_visible(
                timeout=pure * 3 * 1000
            )
        took = time.monotonic() - started
        browser.close()
    return {
        "bytes": size,
        "uplink_kbit_s": kbits,
        "latency_ms": latency,
        "cut_s": cut,
        "cut_at_s": round(cut_at, 1),
        "pure_transfer_s": round(pure, 1),
        "total_s": round(took, 1),
        "ratio": round(took / pure, 3),
        "pieces_sent": len(starts),
        "pieces_failed": len(failed),
        "restarted_from_zero": starts.count(0) > 1,
        "target_ratio": TARGET,
        "holds": took <= TARGET * pure and starts.count(0) == 1,
    }


def measure(*, megabytes: float = 8, kbits: int = 150, latency: int = 600, cut: float = 4) -> dict:
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: `make e2e-deps` installs it.")
    with tempfile.TemporaryDirectory(prefix="bench-upload-", ignore_cleanup_errors=True) as folder:
        pdf = scanned_pdf(Path(folder) / "compte-rendu-scanne.pdf", megabytes)
        with App(Path(folder)) as app:
            result = send_document(app.base, pdf, kbits=kbits, latency=latency, cut=cut)
            print(line(result), flush=True)
    return result


def line(result: dict) -> str:
    return (
        f"  {result['bytes'] / 1e6:.2f} MB PDF at {result['uplink_kbit_s']} kbit/s up, "
        f"{result['latency_ms']} ms latency, cut {result['cut_s']:.0f} s at "
        f"{result['cut_at_s']:.0f} s: {result['total_s']:.0f} s for "
        f"{result['pure_transfer_s']:.0f} s of pure transfer = {result['ratio']:.2f}× "
        f"(target ≤ {result['target_ratio']}×: {'PASS' if result['holds'] else 'FAIL'}; "
        f"{result['pieces_sent']} pieces, {result['pieces_failed']} failed, "
        f"{'started again from zero' if result['restarted_from_zero'] else 'never from zero'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--megabytes", type=float, default=8)
    parser.add_argument("--kbits", type=int, default=150, help="the uplink, kbit/s")
    parser.add_argument("--latency", type=int, default=600, help="ms")
    parser.add_argument("--cut", type=float, default=4, help="seconds offline")
    parser.add_argument("--out", type=Path, help="write the figures there (JSON)")
    args = parser.parse_args()
    result = measure(megabytes=args.megabytes, kbits=args.kbits, latency=args.latency, cut=args.cut)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    sys.exit(0 if result["holds"] else 1)


if __name__ == "__main__":
    main()
