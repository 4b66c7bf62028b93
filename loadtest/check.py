"""After the load test: the figures, and whether the run was clean.

Clean means: no request failed (an HTTP error or an exception; the conflict page of optimistic
locking counts as expected), and every save the site confirmed is in the database exactly
once (none lost, none duplicated), each exchange and cross view holding its last confirmed
save (or a later one still in flight when the run stopped). Exits 1 otherwise.

    DATABASE_URL=… python loadtest/check.py --stats stats_stats.csv --saves saves.json
"""

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", type=Path, required=True, help="locust's *_stats.csv")
    parser.add_argument("--saves", type=Path, required=True, help="the locustfile's results")
    parser.add_argument("--failures", type=Path, help="locust's *_failures.csv")
    options = parser.parse_args()

    rows = list(csv.DictReader(options.stats.open()))
    print(f"{'request':<28} {'count':>7} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for row in rows:
        if row["Request Count"] == "0":  # the login pages, measured during the ramp
            continue
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name[:28]:<28} {row['Request Count']:>7} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    if options.failures and options.failures.exists():
        for row in csv.DictReader(options.failures.open()):
            print(f"  failure: {row['Occurrences']} × {row['Name']}: {row['Error'][:160]}")

    results = json.loads(options.saves.read_text())
    saves = results["saves"]
    ramp = results["ramp"]
    lost, duplicated, stale, unconfirmed = _check_saves(saves)

    print()
    if ramp:
        print(
            f"logging in: {ramp['logins']} users in {ramp['seconds']} s, login p50 "
            f"{ramp['login_p50']:.0f} ms, p95 {ramp['login_p95']:.0f} ms; "
            f"{ramp['requests']} requests, {ramp['failures']} failed"
        )
    else:
        print("logging in: not every user logged in")
    print(
        f"measured: requests: {requests}, failed: {failed}, "
        f"p50: {total['50%']} ms, p95: {total['95%']} ms"
    )
    print(
        f"saves confirmed: {len(saves)} "
        f"({', '.join(f'{n} {kind}' for kind, n in Counter(s['kind'] for s in saves).items())}), "
        f"conflicts (expected): {results['conflicts']}"
    )
    print(
        f"lost: {len(lost)}, duplicated: {len(duplicated)}, not the last save: {len(stale)}, "
        f"saved but unconfirmed (in flight at the end): {len(unconfirmed)}"
    )
    for kind, got in sorted(results.get("hostile", {}).items()):  # LOADTEST_HOSTILE=1
        answers = ", ".join(f"{n} × {status}" for status, n in sorted(got.items()))
        print(f"hostile, {kind}: {answers}")
    for problem, markers in [("lost", lost), ("duplicated", duplicated), ("stale", stale)]:
        for marker in markers[:10]:
            print(f"  {problem}: {marker}")
    clean = (
        bool(ramp)
        and ramp["failures"] == 0
        and requests > 0
        and failed == 0
        and not lost
        and not duplicated
        and not stale
    )
    print("CLEAN" if clean else "NOT CLEAN")
    return 0 if clean else 1


def _check_saves(saves: list[dict]) -> tuple[list[str], list[str], list[str], list[str]]:
    """Each confirmed save's marker found exactly once where it belongs; the last save of
    each exchange and cross view is what it holds now."""
    import django

    django.setup()

    from exchanges.models import CrossView, Exchange

    found: Counter[str] = Counter()
    # Each history row is a snapshot: a value counts once, in the row that changed it.
    for history, field in ((Exchange.history, "summary_fr"), (CrossView.history, "text_fr")):
        last: dict[int, str] = {}
        for pk, value in history.order_by("history_date", "history_id").values_list("id", field):
            if value and value != last.get(pk) and "LT-" in value:
                found[_marker_in(value)] += 1
            last[pk] = value
    for title in Exchange.objects.filter(title_fr__contains="LT-").values_list(
        "title_fr", flat=True
    ):
        found[_marker_in(title)] += 1

    confirmed = [save["marker"] for save in saves]
    lost = [marker for marker in confirmed if found[marker] == 0]
    duplicated = [marker for marker, n in found.items() if n > 1]
    duplicated += [marker for marker, n in Counter(confirmed).items() if n > 1]
    # Saves the site made but whose answer the client never read (stopped at the end).
    unconfirmed = set(found) - set(confirmed)

    last: dict[tuple, str] = {}
    for save in saves:  # in the order the site confirmed them
        if save["kind"] == "exchange":
            last[("exchange", save["exchange"])] = save["marker"]
        elif save["kind"] == "cross_view":
            last[("cross_view", save["exchange"], save["territory"])] = save["marker"]
    stale = []  # holds an older confirmed save than the last one: a lost update
    for key, marker in last.items():
        if key[0] == "exchange":
            held = Exchange.objects.get(pk=key[1]).summary_fr
        else:
            held = CrossView.objects.get(exchange_id=key[1], territory__slug=key[2]).text_fr
        holding = _marker_in(held) if "LT-" in held else ""
        if holding != marker and holding not in unconfirmed:
            stale.append(marker)
    return lost, duplicated, stale, sorted(unconfirmed)


def _marker_in(text: str) -> str:
    start = text.index("LT-")
    return text[start : start + 23]


if __name__ == "__main__":
    sys.exit(main())
