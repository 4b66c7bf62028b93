"""Load test of Regard croisé, run by loadtest/run.sh (`make loadtest`).

Simulated project officers browse the list of exchanges and their pages, save their own
exchange and their territory's cross view on it, and now and then log a new exchange;
simulated elected officials read the home page and download the published 2016 restitution
PDF. Every save carries a unique marker; the markers of the saves the site confirmed
(a redirect to the exchange) are written to $LOADTEST_RESULTS when the run ends, for
loadtest/check.py to find each exactly once in the database.

Every user logs in through the login form first. A login costs half a second of CPU by
design (PBKDF2), so 50 of them at once keep a small server busy for a while: the measured
period ($LOADTEST_SECONDS, 60 by default) starts when the last user has logged in, with the
statistics reset; what the logins cost is reported on its own.

Accounts come from $LOADTEST_ACCOUNTS (written by loadtest/prepare.py). $LOADTEST_HOSTS (URLs
separated by spaces: the app servers of `make cluster`) spreads the users over several servers
in turn.
"""

import html
import itertools
import json
import os
import random
import re
import string
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import gevent
import requests
from locust import HttpUser, User, between, constant, events, task
from requests.adapters import HTTPAdapter

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text())
OFFICERS = iter(ACCOUNTS["officers"])
OFFICIALS = iter(ACCOUNTS["officials"])
EXCHANGE_IDS = list(ACCOUNTS["exchange_ids"])
SAVES: list[dict] = []  # the saves the site confirmed, in order
CONFLICTS = itertools.count()
MEASURED_SECONDS = float(os.environ.get("LOADTEST_SECONDS", "60"))
HOSTS = os.environ.get("LOADTEST_HOSTS", "").split()
HOST_TURNS = itertools.count()
RAMP: dict = {}  # what happened while the users were logging in
logins_tried = itertools.count(1)
environment = None

VERSION = re.compile(r'name="version" value="(\d*)"')
NEXT_PAGE = re.compile(r'rel="next" href="([^"]+)"')
EXCHANGE_LINK = re.compile(r'href="/fr/exchanges/(\d+)/"')


def marker() -> str:
    return f"LT-{uuid.uuid4().hex[:20]}"


class Member(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def log_in(self, username: str) -> None:
        if HOSTS:  # the next server in turn
            self.client.base_url = HOSTS[next(HOST_TURNS) % len(HOSTS)]
        self.client.get("/fr/accounts/login/", name="login page")
        with self.client.post(
            "/fr/accounts/login/",
            {
                "username": username,
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": self.csrf(),
            },
            name="log in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{username} could not log in ({response.status_code})")
        if next(logins_tried) == environment.parsed_options.num_users - HOSTILE_USERS:
            start_measuring()

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post_form(self, url: str, data: dict, *, name: str, expect: str, save: dict) -> None:
        """POST a form; a redirect to `expect` is a save, recorded with its marker. The
        conflict page is an expected outcome of optimistic locking, not an error."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url, data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and re.fullmatch(expect, location):
                SAVES.append({**save, "exchange": int(re.search(r"\d+", location)[0])})
                response.success()
            elif response.status_code == 200 and 'class="conflict"' in response.text:
                next(CONFLICTS)
                response.success()
            else:
                response.failure(f"not saved: {response.status_code} {location}")


class Officer(Member):
    weight = 4

    def on_start(self) -> None:
        account = next(OFFICERS, None)
        if account is None:
            raise RuntimeError("more simulated officers than accounts: raise --users")
        self.account = account
        self.exchange = account["exchange"]
        self.log_in(account["username"])

    @task(4)
    def browse_the_list(self) -> None:
        params = random.choice(
            ["", "?year=2016", "?territory=savoie", "?kind=field_visit", "?q=EHPAD"]
        )
        page = self.client.get(f"/fr/exchanges/{params}", name="exchange list")
        EXCHANGE_IDS.extend(int(pk) for pk in EXCHANGE_LINK.findall(page.text)[:3])
        del EXCHANGE_IDS[:-500]
        following = NEXT_PAGE.search(page.text)
        if following and random.random() < 0.5:
            url = "/fr/exchanges/" + html.unescape(following[1])
            self.client.get(url, name="exchange list, next page")

    @task(4)
    def read_an_exchange(self) -> None:
        pk = random.choice(EXCHANGE_IDS)
        self.client.get(f"/fr/exchanges/{pk}/", name="exchange page")

    @task(2)
    def save_own_exchange(self) -> None:
        mark = marker()
        self.save_edited(
            f"/fr/exchanges/{self.exchange}/edit/",
            {**self.account["form"], "summary_fr": f"Résumé enregistré sous charge {mark}."},
            form_name="exchange form",
            name="save exchange",
            save={"kind": "exchange", "marker": mark},
        )

    @task(2)
    def save_own_cross_view(self) -> None:
        mark = marker()
        territory = self.account["territory"]
        self.save_edited(
            f"/fr/exchanges/{self.exchange}/cross-views/{territory}/",
            {"text_fr": f"Ce que notre territoire retient, sous charge {mark}."},
            form_name="cross view form",
            name="save cross view",
            save={"kind": "cross_view", "marker": mark, "territory": territory},
        )

    def save_edited(self, url: str, fields: dict, *, form_name: str, name: str, save: dict):
        """Open a form of the officer's exchange, then post `fields` with the version it
        carried (optimistic locking), as a browser would."""
        form = self.client.get(url, name=form_name)
        version = VERSION.search(form.text)
        data = {**fields, "version": version[1] if version else ""}
        self.post_form(url, data, name=name, expect=rf"/fr/exchanges/{self.exchange}/", save=save)

    @task(1)
    def log_a_new_exchange(self) -> None:
        self.client.get("/fr/exchanges/new/", name="new exchange form")
        mark = marker()
        data = {**self.account["form"], "title_fr": f"Visite sous charge {mark}", "version": ""}
        self.post_form(
            "/fr/exchanges/new/",
            data,
            name="log new exchange",
            expect=r"/fr/exchanges/\d+/",
            save={"kind": "new_exchange", "marker": mark},
        )


class ElectedOfficial(Member):
    weight = 1

    def on_start(self) -> None:
        account = next(OFFICIALS, None)
        if account is None:
            raise RuntimeError("more simulated officials than accounts: raise --users")
        self.log_in(account["username"])

    @task(1)
    def read_the_home_page(self) -> None:
        self.client.get("/fr/", name="home")

    @task(1)
    def read_the_restitutions(self) -> None:
        self.client.get("/fr/restitutions/", name="restitution list")

    @task(3)
    def download_the_2016_restitution(self) -> None:
        with self.client.get(
            "/fr/restitutions/2016/pdf/", name="restitution 2016 PDF", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"not the PDF: {response.status_code}")


# --- The hostile mix (LOADTEST_HOSTILE=1): what issue 15 found taking the site down --------
#
# Its users go around locust's statistics (a plain requests session each), so that the
# figures locust reports, and loadtest/check.py judges, are the normal users' only; what the
# hostile users got is counted in HOSTILE and printed apart.

HOSTILE_ON = os.environ.get("LOADTEST_HOSTILE") == "1"
HOSTILE: dict[str, Counter] = defaultdict(Counter)  # what each hostile kind got, by status
DRAFT_HAMMERS = int(os.environ.get("LOADTEST_DRAFT_HAMMERS", "3"))
LOGIN_GUESSERS = int(os.environ.get("LOADTEST_LOGIN_GUESSERS", "10"))
# Issue 19's three: elected officials searching 100 one-letter words, guessers on the admin's
# login, clients flooding the forgotten-password form.
SEARCHERS = int(os.environ.get("LOADTEST_SEARCHERS", "2"))
ADMIN_GUESSERS = int(os.environ.get("LOADTEST_ADMIN_GUESSERS", "5"))
RESET_FLOODERS = int(os.environ.get("LOADTEST_RESET_FLOODERS", "3"))
HOSTILE_USERS = (
    DRAFT_HAMMERS + LOGIN_GUESSERS + SEARCHERS + ADMIN_GUESSERS + RESET_FLOODERS
    if HOSTILE_ON
    else 0
)  # besides the normal ones
PROGRESS = re.compile(r'href="(/fr/restitutions/\d+/pdf/drafts/\d+/download/)"')


class FromAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.N): as many client addresses as
    guessers, with no proxy header to trust."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Hostile(User):
    abstract = True
    wait_time = constant(0)

    def session(self, address: str | None = None) -> requests.Session:
        session = requests.Session()
        if address:
            adapter = FromAddress(address)
            session.mount("http://", adapter)
        return session

    def tally(self, kind: str, response: requests.Response | None) -> None:
        HOSTILE[kind][response.status_code if response is not None else "error"] += 1

    def log_in(self, kind: str, accounts) -> None:
        """A session logged in as the next account of `accounts` (officers or officials)."""
        account = next(accounts, None)
        if account is None:
            raise RuntimeError("more simulated members than accounts: raise --users")
        self.http = self.session()
        self.http.get(f"{self.host}/fr/accounts/login/")
        response = self.http.post(
            f"{self.host}/fr/accounts/login/",
            {
                "username": account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
            },
            allow_redirects=False,
        )
        self.tally(f"{kind}: log in", response)

    def post(self, kind: str, path: str, data: dict) -> None:
        """A form posted with this session's CSRF token, what it got tallied under `kind`."""
        try:
            response = self.http.post(
                f"{self.host}{path}",
                {**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")},
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException:
            response = None
        self.tally(kind, response)


class DraftPdfHammer(Hostile):
    """An officer asking for the bilingual draft PDF of 2016 in a loop, with no pause, reading
    the live draft and saving the restitution's introduction between rounds: the worker
    renders at most RESTITUTION_RENDERS_AT_ONCE, one per user; the rest is answered at once."""

    abstract = not (HOSTILE_ON and DRAFT_HAMMERS)  # locust reads a fixed_count of 0 as none
    fixed_count = DRAFT_HAMMERS

    def on_start(self) -> None:
        self.log_in("hammer", OFFICERS)

    def get(self, kind: str, path: str) -> requests.Response | None:
        try:
            response = self.http.get(f"{self.host}{path}", timeout=60)
        except requests.RequestException:
            response = None
        self.tally(kind, response)
        return response

    @task
    def hammer(self) -> None:
        page = self.get("hammer: draft PDF", "/fr/restitutions/2016/pdf/?draft=1&edition=bilingual")
        download = PROGRESS.search(page.text) if page is not None else None
        if download:
            self.get("hammer: draft PDF download", download[1])
        self.get("hammer: live draft HTML", "/fr/restitutions/2016/?draft=1&edition=bilingual")
        edit = self.get("hammer: restitution form", "/fr/restitutions/2016/edit/")
        if edit is not None and edit.status_code == 200:
            try:
                response = self.http.post(
                    f"{self.host}/fr/restitutions/2016/edit/",
                    {
                        "introduction_fr": f"Introduction réécrite {marker()}.",
                        "conclusion_fr": "Conclusion.",
                        "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
                    },
                    allow_redirects=False,
                    timeout=60,
                )
            except requests.RequestException:
                response = None
            self.tally("hammer: save the introduction", response)


GUESSER_NUMBERS = itertools.count(2)


class LoginGuesser(Hostile):
    """An anonymous client posting random usernames and passwords as fast as it is answered,
    each from its own address (127.0.0.2, 127.0.0.3…)."""

    abstract = not (HOSTILE_ON and LOGIN_GUESSERS)
    fixed_count = LOGIN_GUESSERS

    def on_start(self) -> None:
        self.http = self.session(f"127.0.0.{next(GUESSER_NUMBERS)}")
        self.http.get(f"{self.host}/fr/accounts/login/")

    @task
    def guess(self) -> None:
        try:
            response = self.http.post(
                f"{self.host}/fr/accounts/login/",
                {
                    "username": f"guess-{uuid.uuid4().hex[:8]}",
                    "password": uuid.uuid4().hex,
                    "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
                },
                allow_redirects=False,
                timeout=60,
            )
        except requests.RequestException:
            response = None
        self.tally("guesser: failed login", response)


class OneLetterSearcher(Hostile):
    """An elected official searching the exchanges for 100 one-letter words (repeats
    included), as fast as they are answered: one text match a word took minutes of the
    database before issue 19."""

    abstract = not (HOSTILE_ON and SEARCHERS)
    fixed_count = SEARCHERS

    def on_start(self) -> None:
        self.log_in("searcher", OFFICIALS)

    @task
    def search(self) -> None:
        words = " ".join(random.choice(string.ascii_lowercase) for _ in range(100))
        try:
            response = self.http.get(f"{self.host}/fr/exchanges/", params={"q": words}, timeout=60)
        except requests.RequestException:
            response = None
        self.tally("searcher: 100 one-letter words", response)


ADMIN_GUESSER_NUMBERS = itertools.count(2)


class AdminLoginGuesser(Hostile):
    """An anonymous client posting random usernames and passwords to the admin's login, each
    from its own address (127.0.1.2, 127.0.1.3…): braked by the same counter as the site's."""

    abstract = not (HOSTILE_ON and ADMIN_GUESSERS)
    fixed_count = ADMIN_GUESSERS

    def on_start(self) -> None:
        self.http = self.session(f"127.0.1.{next(ADMIN_GUESSER_NUMBERS)}")
        self.http.get(f"{self.host}/fr/admin/login/")

    @task
    def guess(self) -> None:
        self.post(
            "admin guesser: failed login",
            "/fr/admin/login/?next=/fr/admin/",
            {"username": f"admin-{uuid.uuid4().hex[:6]}", "password": uuid.uuid4().hex},
        )


RESET_FLOODER_NUMBERS = itertools.count(2)


class ResetFlooder(Hostile):
    """An anonymous client asking for password resets as fast as it is answered, from its
    own address (127.0.2.2, 127.0.2.3…): every other time for one officer's real address,
    otherwise for made-up ones. At most RESETS_PER_CLIENT requests an hour from an address
    and RESETS_PER_EMAIL emails a mailbox are handed to the task worker; each gets the same
    page."""

    abstract = not (HOSTILE_ON and RESET_FLOODERS)
    fixed_count = RESET_FLOODERS

    def on_start(self) -> None:
        self.http = self.session(f"127.0.2.{next(RESET_FLOODER_NUMBERS)}")
        self.http.get(f"{self.host}/fr/accounts/password/reset/")
        self.victim = ACCOUNTS["officers"][0]["email"]
        self.turns = itertools.count()

    @task
    def flood(self) -> None:
        known = next(self.turns) % 2 == 0
        email = self.victim if known else f"nobody-{uuid.uuid4().hex[:8]}@example.org"
        self.post(
            f"reset flooder: {'known' if known else 'unknown'} address",
            "/fr/accounts/password/reset/",
            {"email": email},
        )


@events.init.add_listener
def keep_environment(environment: "locust.env.Environment", **_kwargs) -> None:  # noqa: F821
    globals()["environment"] = environment


def start_measuring() -> None:
    """Everyone is logged in: note what the ramp cost, reset the figures, stop in 60 s."""
    stats = environment.runner.stats
    login = stats.get("log in", "POST")
    RAMP.update(
        requests=stats.total.num_requests,
        failures=stats.total.num_failures,
        seconds=round(stats.total.last_request_timestamp - stats.total.start_time, 1),
        logins=login.num_requests,
        login_p50=login.get_response_time_percentile(0.5),
        login_p95=login.get_response_time_percentile(0.95),
    )
    stats.reset_all()
    gevent.spawn_later(MEASURED_SECONDS, environment.runner.quit)


@events.test_stop.add_listener
def write_saves(**_kwargs) -> None:
    results = {
        "saves": SAVES,
        "conflicts": next(CONFLICTS),
        "ramp": RAMP,
        "hostile": {kind: {str(k): n for k, n in got.items()} for kind, got in HOSTILE.items()},
    }
    with open(os.environ["LOADTEST_RESULTS"], "w") as file:
        json.dump(results, file)
