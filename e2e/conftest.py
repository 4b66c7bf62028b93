"""Browser tests of the user journeys (`make e2e`), in Debian's Chromium driven by Playwright.

Once per session this starts:
- the app: `migrate` and `load_demo` into a throwaway SQLite database with a throwaway MEDIA
  root, served as `make serve` serves it (scripts/serve.sh) on a free 127.0.0.1 port;
- the Nu Html Checker of the `vnu-jar` npm package, as a local HTTP service on Java, which
  checks the raw HTML the server sent for every page;
- /usr/bin/chromium, headless (never a downloaded browser).

Each journey runs at a desktop size and at a phone size. `Journey.step()` saves a full-page
screenshot (and the page's raw HTML) to e2e-screenshots/<journey>/<viewport>/NN-step.png, runs
axe-core (WCAG 2.1 A and AA) in the page, validates the HTML and looks for anything wider than
the screen: any problem fails the step with a readable list. To validate saved pages again:
    java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only e2e-screenshots/*/*/*.html
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Response,
    sync_playwright,
)
from support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "e2e-screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Flags that keep Chromium from reaching for the network it does not have (they avoid hangs).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, *, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise RuntimeError(f"{url} did not answer in {seconds:.0f} s. End of {log}:\n{tail}")


def stop(process: subprocess.Popen, *, group: bool = False) -> None:
    """Stop a process this session started (with its process group if it leads one)."""
    kill = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    try:
        kill(signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill(signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


# --- The services of the session ----------------------------------------------------------------


@pytest.fixture(scope="session")
def logs() -> Path:
    """The servers' logs, kept beside the screenshots for a person to read after a run."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def vnu_process(logs):
    """The Nu Html Checker, started first: it loads while the demo data does."""
    if not VNU.exists():
        pytest.exit(f"{VNU} is missing: run `npm ci` (make e2e does).", returncode=3)
    port = free_port()
    log = logs / "vnu.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                "java",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield process, f"http://127.0.0.1:{port}/", log
    stop(process)


@pytest.fixture(scope="session")
def base_url(vnu_process, logs, tmp_path_factory) -> str:
    """The app as `make serve` runs it in production (scripts/serve.sh: gunicorn, whitenoise,
    the task worker, DEBUG off), over plain HTTP on a free 127.0.0.1 port, with the demo data
    in a fresh SQLite database and a throwaway MEDIA root."""
    data = tmp_path_factory.mktemp("app")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",  # sqlite:////tmp/…: absolute
        "DJANGO_MEDIA_ROOT": str(data / "media"),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",  # no TLS proxy in front of it here
        "DJANGO_ALLOW_DEMO_DATA": "1",  # a throwaway database: load_demo may run
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "VENV": str(Path(sys.executable).parent.parent),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "PYTHONUNBUFFERED": "1",
    }
    log = logs / "server.log"
    manage = [sys.executable, str(ROOT / "manage.py")]
    with log.open("w") as output:
        # The published demo restitution links to the static files: collect them first.
        for command in (["collectstatic", "--no-input"], ["migrate", "--no-input"], ["load_demo"]):
            done = subprocess.run(
                [*manage, *command], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
            if done.returncode:
                raise RuntimeError(f"manage.py {' '.join(command)} failed: see {log}")
        # Its own process group, so that stopping it stops gunicorn and the worker too.
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/fr/", process=server, log=log, seconds=120)
        yield url
    finally:
        stop(server, group=True)


@pytest.fixture(scope="session")
def html_checker(vnu_process) -> str:
    process, url, log = vnu_process
    wait_for(url, process=process, log=log, seconds=180)
    return url


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: `apt-get install chromium` (make e2e does).", 3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- One journey at one size -------------------------------------------------------------------


@pytest.fixture(params=list(DEVICES))
def device(request) -> str:
    return request.param


@pytest.fixture
def new_context(browser, base_url, device):
    """Opens browser contexts (a person's separate browser) at the test's size; closes them."""
    opened = []

    def open_context(locale: str = "fr-FR") -> BrowserContext:
        context = browser.new_context(
            **DEVICES[device],
            base_url=base_url,
            locale=locale,
            timezone_id="Europe/Paris",
            accept_downloads=True,
            # axe-core is injected as a script: let it in if a Content-Security-Policy comes.
            bypass_csp=True,
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def journey(request, new_context, device, base_url, html_checker):
    name = request.node.originalname.removeprefix("test_")
    folder = SCREENSHOTS / name / device
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = new_context()
    journey = Journey(context.new_page(), folder=folder, device=device, checker=html_checker)
    yield journey
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not journey.page.is_closed():
        journey.page.screenshot(path=folder / "zz-failure.png", full_page=True)


class Journey:
    """A person's way through the site: steps screenshotted, audited and validated."""

    def __init__(self, page: Page, *, folder: Path, device: str, checker: str):
        self.page = page
        self.folder = folder
        self.device = device
        self.checker = checker
        self.steps = 0
        self.documents: list[Response] = []
        self.validated: set[int] = set()
        page.on("response", self._keep_document)

    @property
    def is_phone(self) -> bool:
        return self.device == "phone"

    def _keep_document(self, response: Response) -> None:
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self.documents.append(response)

    # Navigation

    def goto(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(path)
        assert response is not None, path
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        return response

    def open_menu(self) -> None:
        """On a phone the menu is a disclosure ("Menu"): open it, as a finger would. On a wider
        screen its items are in sight already."""
        summary = self.page.locator("header nav details.menu > summary")
        if summary.is_visible() and self.page.locator("header nav details.menu[open]").count() == 0:
            summary.click()

    def log_in(self, username: str, *, language: str = "fr") -> None:
        self.goto(f"/{language}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        assert "/accounts/login/" not in self.page.url, f"{username} could not log in"

    # Checks of each step

    def step(self, name: str, *, audit: bool = True, part: Locator | None = None) -> Path:
        """Screenshot the page as it is now (or only `part` of it); then check the page with
        axe-core, the validator and for sideways overflow, unless `audit` is False."""
        self.steps += 1
        stem = f"{self.steps:02d}-{name}"
        picture = self.folder / f"{stem}.png"
        if part is None:
            self.page.screenshot(path=picture, full_page=True)
        else:
            part.screenshot(path=picture)
        if audit:
            problems = self.accessibility_violations() + self.html_errors(stem) + self.overflow()
            if problems:
                pytest.fail(
                    f"Step {stem} ({self.device}, {self.page.url}), see {picture}:\n"
                    + "\n".join(problems),
                    pytrace=False,
                )
        return picture

    def accessibility_violations(self) -> list[str]:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
                });
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                    nodes: v.nodes.map((n) => ({
                        target: n.target.join(" "),
                        summary: (n.failureSummary || "").replace(/\\s+/g, " "),
                    })),
                }));
            }""",
            WCAG_TAGS,
        )
        lines = []
        for violation in violations:
            lines.append(
                f"  axe {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['url']}>"
            )
            for node in violation["nodes"][:8]:
                lines.append(f"      at {node['target']}: {node['summary'][:300]}")
            if len(violation["nodes"]) > 8:
                lines.append(f"      … and {len(violation['nodes']) - 8} more")
        return lines

    def overflow(self) -> list[str]:
        """What sticks out of the screen sideways (a table too wide for a phone, say)."""
        wide = self.page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                const out = (el) => el.getBoundingClientRect().right > width + 0.5;
                return [...document.querySelectorAll("body *")]
                    .filter((el) => out(el) && ![...el.children].some(out))
                    .slice(0, 8)
                    .map((el) => el.tagName.toLowerCase()
                        + (el.className ? "." + [...el.classList].join(".") : "")
                        + ` «${(el.textContent || "").trim().slice(0, 40)}»`);
            }"""
        )
        return [f"  wider than the screen: {element}" for element in wide]

    def html_errors(self, stem: str) -> list[str]:
        """The Nu Html Checker's errors on the raw HTML of the page's last response."""
        html = [r for r in self.documents if "text/html" in r.headers.get("content-type", "")]
        if not html or id(html[-1]) in self.validated:
            return []  # the same document as an earlier step (only the DOM changed)
        response = html[-1]
        self.validated.add(id(response))
        body = response.body()
        (self.folder / f"{stem}.html").write_bytes(body)
        request = urllib.request.Request(
            f"{self.checker}?out=json",
            data=body,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            messages = json.load(answer)["messages"]
        lines = []
        for message in messages:
            if message["type"] in {"error", "non-document-error"}:
                extract = message.get("extract", "").replace("\n", "⏎")
                lines.append(
                    f"  html line {message.get('lastLine', '?')}: {message['message']}  «{extract}»"
                )
        return lines
