"""`make bench`: how fast the pages stay, side by side on this machine, as the observatory grows.

1. Two PostgreSQL databases, made anew: a large one (100 000 exchanges) and a small one
   (1 000), each with the demo data, the synthetic data (`generate_synthetic_data`) and the
   restitution of a year with 500 (large) or 50 (small) exchanges, published.
2. The SQL queries of every page counted on both (benchmarks/inprocess.py), a draft PDF's
   time split between reading the data, the templates and WeasyPrint, and the whole CSV export
   of the large one's partnership downloaded in-process: its time and peak memory.
3. The large one served as `make serve` serves (scripts/serve.sh: gunicorn, whitenoise, the task
   worker) with the benchmark's settings (the production ones plus the framework floor's
   address), on 127.0.0.1 and a free port. `hey` sends the requests one at a time, each page
   after a warm-up; medians and 95th percentiles are compared with two references of the same
   run: the framework floor (a trivial view) and the Django admin's changelist of exchanges.
4. Bytes per page as a browser gets them: the HTML compressed as the reverse proxy compresses it
   (gzip level 6: the app does not compress HTML itself, see README), the CSS, scripts, fonts
   and images as whitenoise serves them (brotli), on a first visit and on a later one (the
   static files are cached for a year).
5. An 8 MB PDF sent from a phone over Bignona's emulated link (150 kbit/s up, 600 ms latency),
   cut once on the way: its total time against its pure transfer time (benchmarks/upload.py,
   Chromium of `make e2e-deps`; about 9 minutes; --upload-megabytes 0 leaves it out).
6. benchmarks/results/latest.json and a table with PASS/FAIL for every target.
"""

import argparse
import csv
import gzip
import http.client
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import upload

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
PASSWORD = "regard-croise-demo"  # the demo accounts' (public) password: throwaway databases


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    requests: int
    kind: str  # "reference", "html", "pdf"
    user: str = "officer-savoie"
    warm_up: int = 12  # enough to reach every gunicorn worker (2 × cores + 1) at least once

    @property
    def address(self) -> str:
        return self.name


PAGES = [
    Page("floor", "framework floor (trivial view)", 400, "reference"),
    Page("admin", "admin changelist of exchanges", 60, "reference", user="admin"),
    Page("exchange_list", "exchange list, first page", 200, "html"),
    Page("exchange_list_deep", "exchange list, filtered, 80 % deep", 200, "html"),
    Page("exchange_detail", "exchange detail", 200, "html"),
    Page("home", "home page", 200, "html"),
    Page("progress", "the programme year by year (every year)", 100, "html"),
    Page("progress_json", "the programme year by year, JSON", 100, "html"),
    Page("restitution_html", "restitution HTML, published", 100, "html"),
    # The 500-exchange year's draft is rendered by the task worker: the split below times it.
    Page("restitution_pdf", "restitution PDF, published (download)", 60, "pdf"),
]  # fmt: skip
LISTS_AND_DETAILS = ["exchange_list", "exchange_list_deep", "exchange_detail"]
MAX_QUERIES = 10
MAX_BYTES = 60 * 1024
ADMIN_SHARE = 0.25  # lists and details: at most a quarter of the admin changelist's median
PROGRESS = ["progress", "progress_json"]
PROGRESS_SHARE = 0.3  # the progress page and its JSON (issue 21)
YEAR_CACHE = 31_536_000
STATIC_URL = "/static/"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--year", type=int, default=2020, help="the restitution's year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="regard_croise_bench")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the databases of the last run (faster)"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every page's number of requests"
    )
    parser.add_argument(
        "--upload-megabytes",
        type=float,
        default=8,
        help="the document sent over Bignona's link (0: not measured)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the last results as the README's table"
    )
    args = parser.parse_args()
    if args.markdown:
        print(markdown(json.loads(RESULTS.read_text())))
        return
    started = time.monotonic()
    large = Database(args.server, args.database, WORK / "media-large")
    small = Database(args.server, f"{args.database}_small", WORK / "media-small")
    step("Collecting the static files as make serve does (hashed names, compressed)")
    large.manage("collectstatic", "--no-input", "--verbosity", "0", production=True)
    if not args.reuse or not large.exists() or not small.exists():
        large.build(args, exchanges=args.exchanges, restitution_exchanges=500)
        small.build(args, exchanges=args.small, restitution_exchanges=50)
    else:  # the data of the last run, brought to this code's schema
        for database in (large, small):
            database.manage("migrate", "--no-input", "--verbosity", "0")
    step("Counting the SQL queries of every page")
    queries_small = small.inprocess("queries", args.year)
    queries_large = large.inprocess("queries", args.year)
    step("Timing a draft PDF in-process: database, templates, WeasyPrint")
    split = large.inprocess("split", args.year, "--runs", "1")
    info = large.inprocess("pages", args.year)
    step("Downloading the whole CSV export in-process: time and peak memory")
    export = large.inprocess("export", args.year)
    print(_export_line(export), flush=True)
    with Server(large) as server:
        step(f"Measuring over HTTP on {server.base}")
        cookies = {user: server.login(user) for user in {page.user for page in PAGES}}
        measures = {}
        for page in PAGES:
            url = info["urls"][page.address]
            requests = max(3, round(page.requests * args.scale))
            try:
                size = server.weigh(url, cookies[page.user], pdf=page.kind == "pdf")
                timing = server.time(
                    url, cookies[page.user], requests=requests, warm_up=page.warm_up
                )
            except PageError as error:  # measured as failing, and the run goes on
                print(f"  {page.label:<42} FAILED: {error}", flush=True)
                measures[page.name] = {**FAILED, "error": str(error), "url": url}
                continue
            measures[page.name] = {**timing, **size, "url": url}
            print(f"  {page.label:<42} median {timing['median_ms']:>9.1f} ms", flush=True)
    document = None
    if args.upload_megabytes:
        step(f"A {args.upload_megabytes:g} MB document over Bignona's link, cut once")
        document = upload.measure(megabytes=args.upload_megabytes)
    result = summarise(args, info, measures, queries_small, queries_large, split, started)
    result["csv_export"] = export
    if document is not None:
        result["document_upload"] = document
        result["targets"].append(
            _target(
                f"a document over Bignona's link, cut once: ≤ {upload.TARGET}× its pure transfer",
                document["holds"],
                upload.line(document).strip(),
            )
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_table(result)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s.")


class PageError(Exception):
    """A page did not answer 200."""


FAILED = {
    "requests": 0,
    "median_ms": None,
    "p95_ms": None,
    "bytes": None,
    "bytes_repeat_visit": None,
    "bytes_uncompressed_html": None,
    "assets": {},
}


def step(message: str) -> None:
    print(f"\n== {message}", flush=True)


# --- Databases ---------------------------------------------------------------------------------


class Database:
    def __init__(self, server: str, name: str, media: Path):
        self.server, self.name, self.media = server, name, media
        self.url = f"{server}/{name}"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_MEDIA_ROOT": str(self.media),
            "DJANGO_HTTPS": "0",
            "PYTHONPATH": str(ROOT),
            **extra,
        }

    def psql(self, sql: str, database: str = "postgres") -> str:
        parsed = urllib.parse.urlparse(self.server)
        command = ["psql", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
        command += ["-U", parsed.username or "postgres", "-d", database, "-tAc", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def exists(self) -> bool:
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'").strip() == "1"

    def build(self, args, *, exchanges: int, restitution_exchanges: int) -> None:
        step(f"Database {self.name}: {exchanges} exchanges")
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.psql(f'CREATE DATABASE "{self.name}"')
        shutil.rmtree(self.media, ignore_errors=True)
        self.manage("migrate", "--no-input", "--verbosity", "0")
        self.manage("load_demo")
        self.manage(
            "generate_synthetic_data",
            f"--seed={args.seed}",
            f"--exchanges={exchanges}",
            f"--restitution-year={args.year}",
            f"--restitution-exchanges={restitution_exchanges}",
        )
        began = time.monotonic()
        published = self.inprocess("publish", args.year)
        print(
            f"  restitution {args.year} published (version {published['version']}, six editions)"
            f" in {time.monotonic() - began:.0f} s",
            flush=True,
        )

    def manage(self, *arguments: str, production: bool = False) -> None:
        if production:
            env = self.env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="benchmark")
        else:
            env = self.env(DJANGO_DEBUG="1", DJANGO_ALLOW_DEMO_DATA="1")
        subprocess.run(
            [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL if arguments[0] == "load_demo" else None,
        )  # fmt: skip

    def inprocess(self, what: str, year: int, *extra: str) -> dict:
        out = WORK / f"{self.name}-{what}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "benchmarks.inprocess", what, f"--year={year}"]
        subprocess.run(
            [*command, f"--out={out}", *extra], cwd=ROOT, env=self.env(DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="benchmark"), check=True, stderr=_weasyprint_noise(),
        )  # fmt: skip
        return json.loads(out.read_text())


def _weasyprint_noise():
    """WeasyPrint warns about the screen-only @media rules it skips: kept out of the output."""
    return open(WORK / "weasyprint-warnings.log", "a")


# --- The server and the HTTP measures ----------------------------------------------------------


class Server:
    """scripts/serve.sh on a free port of 127.0.0.1, stopped (its whole process group) on exit."""

    def __init__(self, database: Database):
        self.database = database
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        log = open(WORK / "server.log", "w")
        env = self.database.env(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50), BIND=f"127.0.0.1:{self.port}"
        )
        env.pop("DJANGO_DEBUG", None)
        self.process = subprocess.Popen(
            ["./scripts/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"The server stopped: see {WORK / 'server.log'}")
            try:
                if self.get("/bench/floor/", {})[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        self.__exit__()
        sys.exit("The server did not answer within two minutes.")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def get(self, path: str, headers: dict) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def login(self, username: str) -> str:
        """Logs in through the login page, as a person would; returns the Cookie header."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(f"{self.base}/fr/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        opener.open(f"{self.base}/fr/accounts/login/", data=data).read()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if "sessionid" not in cookies:
            sys.exit(f"Could not log in as {username}.")
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def time(self, path: str, cookie: str, *, requests: int, warm_up: int) -> dict:
        """`requests` sequential requests with hey, after `warm_up` more."""
        url = self.base + path
        common = ["-c", "1", "-t", "300", "-disable-redirects", "-H", f"Cookie: {cookie}"]
        common += ["-H", "Accept-Encoding: gzip, br"]
        if warm_up:
            warming = ["hey", "-n", str(warm_up), *common, url]
            subprocess.run(warming, check=True, capture_output=True)
        run = subprocess.run(
            ["hey", "-n", str(requests), "-o", "csv", *common, url],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        rows = list(csv.DictReader(io.StringIO(run.stdout)))
        bad = [row["status-code"] for row in rows if row["status-code"] != "200"]
        if bad or len(rows) != requests:
            raise PageError(f"{len(rows)} answers, statuses other than 200: {set(bad)}")
        return _timing([float(row["response-time"]) * 1000 for row in rows])

    def weigh(self, path: str, cookie: str, *, pdf: bool) -> dict:
        """What a browser downloads for the page: the document, then its stylesheets, scripts,
        images and the fonts the stylesheets name, each once."""
        asking = {"Cookie": cookie, "Accept-Encoding": "br, gzip"}
        status, headers, body = self.get(path, asking)
        if status != 200:
            raise PageError(f"answered {status}, not 200 (see {WORK / 'server.log'})")
        sent_compressed = headers.get("content-encoding") in {"gzip", "br"}
        if pdf or sent_compressed:
            document = len(body)
        else:  # what the reverse proxy sends (gzip, level 6)
            document = len(gzip.compress(body, compresslevel=6))
        assets: dict[str, dict] = {}
        if not pdf:
            queue = _linked(body.decode(errors="replace"), path)
            while queue:
                asset = queue.pop(0)
                if asset in assets:
                    continue
                if not asset.startswith("/") or asset.startswith("//"):  # another site's
                    assets[asset] = {"status": None, "bytes": 0, "encoding": "", "external": True}
                    continue
                status, asset_headers, content = self.get(asset, asking)
                control = asset_headers.get("cache-control", "")
                max_age = re.search(r"max-age=(\d+)", control)
                assets[asset] = {
                    "status": status,
                    "bytes": len(content),
                    "encoding": asset_headers.get("content-encoding", ""),
                    "cached_a_year": bool(max_age and int(max_age.group(1)) >= YEAR_CACHE),
                }
                if not asset.startswith(STATIC_URL):  # a page's own script (the admin's jsi18n)
                    assets[asset]["cached_a_year"] = None
                if asset.split("?")[0].endswith(".css"):
                    raw = content
                    if asset_headers.get("content-encoding"):
                        raw = self.get(asset, {"Cookie": cookie})[2]
                    queue += _linked_from_css(raw.decode(errors="replace"), asset)
        return {
            "bytes": document + sum(item["bytes"] for item in assets.values()),
            "bytes_repeat_visit": document,
            "bytes_uncompressed_html": None if pdf else len(body),
            "assets": assets,
        }


def _timing(times_ms: list[float]) -> dict:
    times = sorted(times_ms)
    return {
        "requests": len(times),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2),
    }


def _linked(html: str, base: str) -> list[str]:
    found = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    found += re.findall(r'<(?:script|img)[^>]+src="([^"]+)"', html)
    return [urllib.parse.urljoin(base, url) for url in found]


def _linked_from_css(css: str, base: str) -> list[str]:
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    return [urllib.parse.urljoin(base, url) for url in urls if not url.startswith("data:")]


# --- Results -----------------------------------------------------------------------------------


def summarise(args, info, measures, queries_small, queries_large, split, started) -> dict:
    floor = measures["floor"]["median_ms"]
    admin = measures["admin"]["median_ms"]
    pages = {}
    for page in PAGES:
        measure = measures[page.name]
        pages[page.name] = {
            "label": page.label,
            "median_ms": measure["median_ms"],
            "p95_ms": measure["p95_ms"],
            "ratio_to_floor": _ratio(measure["median_ms"], floor, 2),
            "ratio_to_admin": _ratio(measure["median_ms"], admin, 3),
            "queries_small": queries_small[page.address]["computed"],
            "queries_large": queries_large[page.address]["computed"],
            "queries_cached": queries_large[page.address]["cached"],
            "bytes": measure["bytes"],
            "bytes_repeat_visit": measure["bytes_repeat_visit"],
            "bytes_uncompressed_html": measure["bytes_uncompressed_html"],
            "requests": measure["requests"],
            "url": measure["url"],
            "assets": measure["assets"],
            **({"error": measure["error"]} if "error" in measure else {}),
        }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "software": info["software"],
        "data": {**info["data"], "small_database_exchanges": args.small, "deep": info["deep"]},
        "draft_pdf_split_s": split,
        "pages": pages,
        "targets": targets(pages, split),
        "seconds": round(time.monotonic() - started),
    }


def _ratio(value: float | None, reference: float | None, digits: int) -> float | None:
    if value is None or not reference:
        return None
    return round(value / reference, digits)


def _over(value: float | None, limit: float) -> bool:
    """A figure over its limit; a page that failed is over every limit."""
    return value is None or value > limit


def targets(pages: dict, split: dict) -> list[dict]:
    """Each target of the issue, whether it holds, and the figures that say so."""
    html = [n for n in pages if n not in {"floor", "admin"} and not n.startswith("restitution_pdf")]
    drifting = [n for n in pages if pages[n]["queries_small"] != pages[n]["queries_large"]]
    over = [n for n in LISTS_AND_DETAILS if pages[n]["queries_large"] > MAX_QUERIES]
    slow = [n for n in LISTS_AND_DETAILS if _over(pages[n]["ratio_to_admin"], ADMIN_SHARE)]
    heavy = [n for n in html if _over(pages[n]["bytes"], MAX_BYTES)]
    slow_progress = [n for n in PROGRESS if _over(pages[n]["ratio_to_admin"], PROGRESS_SHARE)]
    uncached = sorted(
        {
            asset
            for n in html
            for asset, item in pages[n]["assets"].items()
            if item.get("cached_a_year") is False
        }
    )

    def figures(names: list[str], key: str, unit: str = "") -> str:
        return ", ".join(f"{n}: {pages[n][key]}{unit}" for n in names)

    return [
        _target(
            "queries the same at 1 000 and 100 000 exchanges",
            not drifting,
            figures(drifting, "queries_large") or "every page",
        ),
        _target(
            f"at most {MAX_QUERIES} queries for lists and details",
            not over,
            figures(LISTS_AND_DETAILS, "queries_large"),
        ),
        _target(
            f"lists and details: median at most {ADMIN_SHARE}× the admin changelist's",
            not slow,
            figures(LISTS_AND_DETAILS, "ratio_to_admin", "×"),
        ),
        _target(
            f"the progress page and its JSON: median at most {PROGRESS_SHARE}× the admin's",
            not slow_progress,
            figures(PROGRESS, "ratio_to_admin", "×"),
        ),
        _target(
            f"every page at most {MAX_BYTES // 1024} KB transferred",
            not heavy,
            ", ".join(f"{n}: {_kb(pages[n]['bytes'])}" for n in heavy) or "every page",
        ),
        _target(
            "CSS, scripts and fonts cached for a year",
            not uncached,
            ", ".join(uncached) or "every static file",
        ),
    ]


def _kb(size: int | None) -> str:
    return "failed" if size is None else f"{size / 1024:.0f} KB"


def _target(name: str, holds: bool, detail: str) -> dict:
    return {"target": name, "holds": holds, "detail": detail}


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().split()[1]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(int(memory) / 1024 / 1024),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(result: dict) -> None:
    pages = result["pages"]
    head = (
        f"{'page':<42} {'median':>9} {'p95':>9} {'×floor':>7} {'×admin':>7} "
        f"{'q 1k':>5} {'q 100k':>6} {'cached':>6} {'KB':>7} {'KB again':>8}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    for page in pages.values():
        if page["median_ms"] is None:
            print(f"{page['label']:<42} FAILED: {page['error']}")
            continue
        print(
            f"{page['label']:<42} {page['median_ms']:>7.1f}ms {page['p95_ms']:>7.1f}ms "
            f"{page['ratio_to_floor']:>7.1f} {page['ratio_to_admin']:>7.2f} "
            f"{page['queries_small']:>5} {page['queries_large']:>6} {page['queries_cached']:>6} "
            f"{page['bytes'] / 1024:>7.1f} {page['bytes_repeat_visit'] / 1024:>8.1f}"
        )
    split = result["draft_pdf_split_s"]
    print(
        f"\nDraft PDF in-process ({split['exchanges']} exchanges, "
        f"{split['pdf_bytes'] // 1024} KB): database {split['database']} s, "
        f"templates {split['templates']} s, WeasyPrint {split['weasyprint']} s"
    )
    if "csv_export" in result:
        print(_export_line(result["csv_export"]))
    if "document_upload" in result:
        print("Document over Bignona's link:" + upload.line(result["document_upload"]))
    machine = result["machine"]
    print(
        f"Machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory_gb']} GB; "
        f"load average at the end {machine['load_average_at_end']}"
    )
    print("\nTargets:")
    for target in result["targets"]:
        print(f"  {'PASS' if target['holds'] else 'FAIL'}  {target['target']}: {target['detail']}")


def _export_line(export: dict) -> str:
    return (
        f"CSV export in-process ({export['exchanges']} exchanges, {export['megabytes']} MB): "
        f"{export['seconds']} s ({export['cpu_seconds']} s of CPU), "
        f"peak memory {export['peak_python_mb']} MB of Python objects "
        f"(the process's maximum RSS grew by {export['max_rss_growth_mb']} MB)"
    )


def markdown(result: dict) -> str:
    """The README's table of `result`."""
    lines = [
        "| page | median | p95 | × floor | × admin | queries at 1 000 | at 100 000 | cached "
        "| KB first visit | KB later |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for page in result["pages"].values():
        if page["median_ms"] is None:
            lines.append(f"| {page['label']} | failed: {page['error']} | | | | | | | | |")
            continue
        lines.append(
            f"| {page['label']} | {page['median_ms']:.1f} ms | {page['p95_ms']:.1f} ms "
            f"| {page['ratio_to_floor']:.1f} | {page['ratio_to_admin']:.2f} "
            f"| {page['queries_small']} | {page['queries_large']} | {page['queries_cached']} "
            f"| {page['bytes'] / 1024:.1f} | {page['bytes_repeat_visit'] / 1024:.1f} |"
        )
    lines.append("")
    for target in result["targets"]:
        verdict = "PASS" if target["holds"] else "FAIL"
        lines.append(f"- **{verdict}** {target['target']}: {target['detail']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
