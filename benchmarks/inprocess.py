"""The benchmark's measures taken inside Django, on the database DATABASE_URL names:
`python -m benchmarks.inprocess <step> --year 2020 --out file.json`.

- `publish`: the year's restitution (created if needed) published, rendered right away;
- `pages`: the address of every measured page (an exchange with everything its page shows,
  a cursor deep in a filtered list) and the data set's size;
- `queries`: the SQL queries each page costs, counted with the test client on a warm process;
- `split`: a draft PDF's time, split into the database reads, the templates and WeasyPrint;
- `export`: the CSV export of every exchange of the partnership, as an administrator downloads
  it: its time, and its peak memory (Python's allocations, tracemalloc, in a second run).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import django

FILTER = {"kind": "field_visit"}  # plus the partnership's second territory: a common pair
DEPTH = 0.8  # the deep page starts 80 % down the filtered list


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["publish", "pages", "queries", "split", "export"])
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    steps = {
        "publish": publish,
        "pages": pages,
        "queries": queries,
        "split": split,
        "export": export,
    }
    result = steps[args.step](args)
    args.out.write_text(json.dumps(result, indent=2, default=str))


def _restitution(year: int):
    from partners.selectors import default_partnership
    from reporting.models import Restitution

    restitution, _created = Restitution.objects.select_related("partnership").get_or_create(
        partnership=default_partnership(),
        year=year,
        defaults={
            "introduction_fr": f"En {year}, les deux territoires ont multiplié les échanges.",
            "introduction_en": f"In {year}, both territories exchanged more than ever.",
            "conclusion_fr": "Les pistes de travail continuent l'an prochain.",
            "conclusion_en": "The work tracks go on next year.",
        },
    )
    return restitution


def publish(args) -> dict:
    from django.contrib.auth import get_user_model

    from reporting.selectors import published_version
    from reporting.services import restitution_publish

    restitution = _restitution(args.year)
    version = published_version(restitution)
    if version is None:
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        version = restitution_publish(restitution=restitution, user=admin, background=False)
    return {"version": version.number, "render_seconds": version.render_seconds}


def pages(args) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from exchanges.models import CrossView, Establishment, Exchange
    from exchanges.pagination import cursor_of
    from exchanges.selectors import exchange_filter
    from partners.models import Partnership
    from partners.selectors import default_partnership, partnership_territories

    partnership = default_partnership()
    newest = Exchange.objects.active().filter(partnership=partnership)
    full = (
        newest.filter(
            pk__in=list(newest.order_by("-start_date", "-pk").values_list("pk", flat=True)[:500])
        )
        .annotate(
            views=Count("cross_views", distinct=True),
            places=Count("establishments", distinct=True),
            questions=Count("questionings", distinct=True),
        )
        .filter(views=2, places__gte=1, questions__gte=1)
        .order_by("-start_date", "-pk")
        .first()
    )
    territory = partnership_territories(partnership)[-1]
    params = QueryDict(mutable=True)
    params.update({**FILTER, "territory": territory.slug})
    rows = exchange_filter(partnership, params).qs.order_by("-start_date", "-pk")
    filtered = rows.count()
    deep = rows[int(filtered * DEPTH)]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT 1")
        database_version = cursor.fetchone()[0]
    year = args.year
    return {
        "urls": {
            "floor": "/bench/floor/",
            "admin": "/fr/admin/exchanges/exchange/",
            "exchange_list": "/fr/exchanges/",
            "exchange_list_deep": f"/fr/exchanges/?{params.urlencode()}&after={cursor_of(deep)}",
            "exchange_detail": f"/fr/exchanges/{full.pk}/",
            "home": "/fr/",
            "progress": "/fr/progress/",
            "progress_json": "/fr/progress/?format=json",
            "restitution_html": f"/fr/restitutions/{year}/",
            "restitution_html_draft": f"/fr/restitutions/{year}/?draft=1",
            "restitution_pdf": f"/fr/restitutions/{year}/pdf/",
            "restitution_pdf_draft": f"/fr/restitutions/{year}/pdf/?draft=1",
        },
        "deep": {"filtered_rows": filtered, "position": int(filtered * DEPTH)},
        "data": {
            "partnerships": Partnership.objects.count(),
            "establishments": Establishment.objects.count(),
            "exchanges": Exchange.objects.count(),
            "exchanges_of_the_interface_partnership": newest.count(),
            "exchanges_in_restitution_year": newest.filter(start_date__year=year).count(),
            "cross_views": CrossView.objects.count(),
        },
        "software": {
            "database": f"{connection.vendor} {database_version}",
            "python": platform.python_version(),
            "django": django.get_version(),
        },
    }


def queries(args) -> dict:
    """The queries of each page, counted with the test client: `computed`, with the content's
    cache empty (what a page costs just after a change, and what must not grow with the
    data), and `cached`, once computed. A first request fills the per-process caches that
    outlive any change (the content types the admin reads). The draft PDF, which takes
    seconds, is counted computed only, after the draft HTML warmed the same reads."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.caching import forget_everything
    from partners.models import Profile
    from reporting.models import DraftRendering

    urls = pages(args)["urls"]
    users = get_user_model().objects
    officer = users.filter(profile__role=Profile.Role.OFFICER).order_by("pk").first()
    admin = users.filter(is_superuser=True).order_by("pk").first()
    counts = {}

    def count(client, url) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # A draft's PDF, and a large year's draft HTML, are enqueued for the worker: a redirect
        # to the progress page; a small year's draft HTML is rendered at once. No worker runs
        # here: what was enqueued is dropped, or the next ask would meet the per-user limit.
        expected = {200, 302} if url.endswith("?draft=1") else {200}
        if response.status_code not in expected:
            sys.exit(f"{url} answered {response.status_code}")
        DraftRendering.objects.all().delete()
        return len(captured.captured_queries)

    for name, url in urls.items():
        client = Client(HTTP_HOST="127.0.0.1")
        if name != "floor":
            client.force_login(admin if name == "admin" else officer)
        if name != "restitution_pdf_draft":
            count(client, url)
        forget_everything()
        computed = count(client, url)
        cached = computed if name == "restitution_pdf_draft" else count(client, url)
        counts[name] = {"computed": computed, "cached": cached}
    return counts


def split(args) -> dict:
    """The live draft's PDF, in three steps: reading the data, rendering the templates,
    WeasyPrint. The median of `--runs` runs, in seconds."""
    from reporting.content import restitution_content
    from reporting.document import html_to_pdf, restitution_html

    restitution = _restitution(args.year)
    steps: dict[str, list[float]] = {"database": [], "templates": [], "weasyprint": []}
    size = 0
    for _run in range(args.runs):
        started = time.perf_counter()
        content = restitution_content(restitution)
        read = time.perf_counter()
        html = restitution_html(content, edition="fr", medium="print")
        rendered = time.perf_counter()
        size = len(html_to_pdf(html))
        printed = time.perf_counter()
        steps["database"].append(read - started)
        steps["templates"].append(rendered - read)
        steps["weasyprint"].append(printed - rendered)
    result = {step: round(statistics.median(times), 3) for step, times in steps.items()}
    result["total"] = round(sum(result.values()), 3)
    result["pdf_bytes"] = size
    result["exchanges"] = len(content.exchanges)
    return result


def export(args) -> dict:
    """The partnership's whole CSV export, read as a browser would (the streamed response
    consumed chunk by chunk, nothing kept): the time of a first run, then Python's peak memory
    during a second one under tracemalloc (which slows it), above what was allocated before."""
    import resource
    import tracemalloc

    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)

    def download() -> tuple[int, int]:
        response = client.get("/fr/exchanges/export.csv")
        if response.status_code != 200:
            sys.exit(f"the export answered {response.status_code}")
        size = lines = 0
        for chunk in response.streaming_content if response.streaming else [response.content]:
            size += len(chunk)
            lines += chunk.count(b"\n")  # texts may hold line breaks too: an upper bound
        response.close()
        return size, lines

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    size, lines = download()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    base, _peak = tracemalloc.get_traced_memory()
    download()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    from exchanges.models import Exchange
    from partners.selectors import default_partnership

    return {
        "exchanges": Exchange.objects.active().filter(partnership=default_partnership()).count(),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),  # this process's: the database's is not counted
        "megabytes": round(size / 1e6, 1),
        "lines_at_most": lines,
        "peak_python_mb": round((peak - base) / 1e6, 1),
        "max_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
    }


if __name__ == "__main__":
    main()
