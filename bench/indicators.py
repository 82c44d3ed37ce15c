"""Benchmark of the indicators on PostgreSQL: the full recompute beside the SQL floor, and the
dashboard's server time and query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/polmas_bench \\
        .venv/bin/python bench/indicators.py --scale national

Run it on a database seeded with `manage.py seed_demo --scale <scale>` (docs/performance.md).
It writes: the indicator values it recomputes, and one operator account to sign in with.

(a) `metrics.compute.recompute` over every desa and the months of the window, timed, beside ONE
    hand-written statement that reads the same raw rows once and counts them per desa and
    month: the least any computation of per-desa monthly indicators has to do (the floor).
(b) GET of the dashboards through django.test.Client, signed in as the Polres commander and as
    an operator (the nation), of the Polres's desa table as XLSX and its monthly PDF, and of the
    indicators API (its first page and its 21st, for a Polres commander, a Polda viewer and an
    operator): median and p95 of the server time over --requests requests after a warm-up, and
    the number of SQL queries of one request.
"""

import argparse
import datetime
import json
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Production settings (no query log, no template debugging), static files unhashed so no
# collectstatic is needed; the test client's host is allowed and not redirected to HTTPS.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_PLAIN", "true")
# The API's per-user rate (300 a minute) would answer the repeated requests with 429s.
os.environ.setdefault("API_THROTTLE_USER", "1000000/minute")

import django  # noqa: E402

django.setup()
logging.getLogger("metrics.compute").setLevel(logging.WARNING)  # the table below says it
warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from metrics.compute.months import add_months, month_start, months_between  # noqa: E402
from metrics.compute.parallel import recompute_in_parallel  # noqa: E402
from portal.synthetic.people import EMAIL_DOMAIN  # noqa: E402

BENCH_OPERATOR = "operator.bench@polmas.test"
# One statement, every activity row the indicators read, counted per desa and month.
FLOOR_SQL = """
SELECT village_id, month, SUM(n) FROM (
    SELECT v.village_id, date_trunc('month', v.visited_at) AS month, COUNT(*) AS n
      FROM officers_visit v WHERE v.visited_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT f.village_id, date_trunc('month', m.scheduled_at), COUNT(*)
      FROM forums_meeting m JOIN forums_forum f ON f.id = m.forum_id
     WHERE m.scheduled_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT f.village_id, date_trunc('month', m.scheduled_at), COUNT(*)
      FROM forums_attendance a JOIN forums_meeting m ON m.id = a.meeting_id
      JOIN forums_forum f ON f.id = m.forum_id
     WHERE m.scheduled_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT f.village_id, date_trunc('month', m.scheduled_at), COUNT(*)
      FROM forums_meetingproblem l JOIN forums_meeting m ON m.id = l.meeting_id
      JOIN forums_forum f ON f.id = m.forum_id
     WHERE m.scheduled_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT p.village_id, date_trunc('month', p.created_at), COUNT(*)
      FROM issues_problem p WHERE p.created_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT p.village_id, date_trunc('month', e.created_at), COUNT(*)
      FROM issues_problemevent e JOIN issues_problem p ON p.id = e.problem_id
     WHERE e.created_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT p.village_id, date_trunc('month', b.created_at), COUNT(*)
      FROM issues_feedback b JOIN issues_problem p ON p.id = b.problem_id
     WHERE b.created_at >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT c.village_id, c.month, COUNT(*)
      FROM metrics_crimestatistic c WHERE c.month >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT s.village_id, s.quarter, COUNT(*)
      FROM metrics_surveyresponse s WHERE s.quarter >= %(start)s GROUP BY 1, 2
    UNION ALL
    SELECT a.village_id, %(start)s, COUNT(*) FROM officers_assignment a GROUP BY 1
) AS activity
GROUP BY 1, 2
"""
TABLES = [
    "officers_visit",
    "forums_meeting",
    "forums_attendance",
    "forums_meetingproblem",
    "issues_problem",
    "issues_problemevent",
    "issues_feedback",
    "metrics_crimestatistic",
    "metrics_surveyresponse",
    "officers_assignment",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["polres", "province", "national"], required=True)
    parser.add_argument("--regency", default="32.04", help="The Polres's regency (32.04).")
    parser.add_argument("--months", type=int, default=24, help="Months to recompute (24).")
    parser.add_argument("--requests", type=int, default=50, help="Timed requests per page.")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Connections computing months side by side (1), as recompute_indicators --workers.",
    )
    parser.add_argument("--skip-recompute", action="store_true", help="Only the dashboards.")
    parser.add_argument("--json", metavar="PATH", help="Also write the figures here.")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    results = {"scale": options.scale, "database": describe_database()}
    print_database(results["database"], options.scale)
    if not options.skip_recompute:
        results["recompute"] = bench_recompute(options.months, options.workers)
        print_recompute(results["recompute"])
    results["dashboards"] = bench_dashboards(options.regency, options.requests)
    print_dashboards(results["dashboards"])
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2, default=str))


def describe_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)", [TABLES]
        )
        rows = dict(cursor.fetchall())
        cursor.execute(
            "SELECT COUNT(DISTINCT village_id) FROM officers_assignment WHERE ends_on IS NULL"
        )
        covered = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM territory_village")
        villages = cursor.fetchone()[0]
    return {"desa": villages, "desa_with_officer": covered, "rows_estimated": rows}


def bench_recompute(months: int, workers: int) -> dict:
    current = month_start(timezone.localdate())
    window = months_between(add_months(current, -(months - 1)), current)
    start = datetime.datetime.combine(window[0], datetime.time(), datetime.UTC)
    analyze(["territory_policeunit", "territory_village"])
    started = time.perf_counter()
    # Autovacuum may be off (it is on the machine of docs/performance.md): analyze the growing
    # indicator tables after each month, as autovacuum's analyze would (its time is included).
    # Not before the first month: an empty table analyzed as empty gets the first month's
    # INSERT … WHERE NOT EXISTS a nested loop that rescans every row it inserted (quadratic).
    reports = recompute_in_parallel(
        months=window,
        workers=workers,
        progress=lambda _report: analyze(INDICATOR_TABLES),
    )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '64MB'")  # as generous as the recompute's own sorts
        floor_started = time.perf_counter()
        cursor.execute(FLOOR_SQL, {"start": start})
        groups = len(cursor.fetchall())
        floor_seconds = time.perf_counter() - floor_started
        cursor.execute("RESET work_mem")
    per_month = [report.seconds for report in reports]
    return {
        "months": len(reports),
        "workers": workers,
        "seconds": seconds,
        "month_median_seconds": statistics.median(per_month) if per_month else None,
        "month_max_seconds": max(per_month) if per_month else None,
        "rows_written": sum(report.written for report in reports),
        "floor_seconds": floor_seconds,
        "floor_groups": groups,
        "ratio": seconds / floor_seconds if floor_seconds else None,
    }


# The tables behind the view metrics_indicatorvalue (metrics.desa_table).
INDICATOR_TABLES = ("metrics_desaindicators", "metrics_areaindicatorvalue")


def analyze(tables=(*INDICATOR_TABLES, "territory_policeunit", "territory_village")):
    """Planner statistics as autovacuum keeps them, whether or not it runs."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def bench_dashboards(regency: str, requests: int) -> list[dict]:
    analyze()
    commander = (
        User.objects.filter(
            role=User.Role.POLRES_COMMANDER,
            officer__unit__regencies__code=regency,
            email__endswith=f"@{EMAIL_DOMAIN}",
        )
        .select_related("officer__unit")
        .first()
    )
    if commander is None:
        sys.exit(f"No synthetic Polres commander for {regency}: seed_demo --scale first.")
    operator, _created = User.objects.get_or_create(
        email=BENCH_OPERATOR, defaults={"role": User.Role.OPERATOR, "name": "Bench operator"}
    )
    polres = commander.officer.unit
    pages = [
        ("nation", "operator", operator, reverse("metrics:dashboard", args=["nation", "ID"])),
        (
            f"polres {polres.code}",
            "Polres commander",
            commander,
            reverse("metrics:dashboard", args=["polres", polres.code]),
        ),
        (
            f"polres {polres.code}, desa rows",
            "Polres commander",
            commander,
            reverse("metrics:dashboard", args=["polres", polres.code]) + "?baris=desa",
        ),
        # What a commander takes away for the monthly meeting: the desa table as XLSX, the PDF.
        (
            f"polres {polres.code}, desa rows XLSX",
            "Polres commander",
            commander,
            reverse("metrics:export", args=["polres", polres.code, "wilayah", "xlsx"])
            + "?baris=desa",
        ),
        (
            f"polres {polres.code}, monthly PDF",
            "Polres commander",
            commander,
            reverse("metrics:report_pdf", args=["polres", polres.code]),
        ),
    ]
    polda_viewer = (
        User.objects.filter(
            role=User.Role.POLDA_VIEWER,
            officer__unit=polres.parent,
            email__endswith=f"@{EMAIL_DOMAIN}",
        )
        .select_related("officer__unit")
        .first()
    )
    api = reverse("api:indicator-list")
    readers = [("Polres commander", commander), ("Polda viewer", polda_viewer)]
    readers = [(role, user) for role, user in readers if user is not None]  # no Polda: polres
    readers.append(("operator", operator))
    api_pages = [("API, first page", role, user, api) for role, user in readers]
    if polda_viewer is not None:
        api_pages.append(("API, desa rows only", "Polda viewer", polda_viewer, f"{api}?level=desa"))
    figures = [
        bench_page(label, role, user, url, requests) for label, role, user, url in pages + api_pages
    ]
    # A page further on, after the previous page's last row (keyset), as a client paging on.
    for role, user in readers:
        client = Client()
        client.force_login(user)
        url = api
        for _page in range(20):
            response = client.get(url)
            if response.status_code != 200 or response.json()["next"] is None:
                sys.exit(f"GET {url} as {role}: HTTP {response.status_code}, no 21st page")
            url = response.json()["next"]
        figures.append(bench_page("API, 21st page", role, user, url, requests))
    return figures


def bench_page(label: str, role: str, user, url: str, requests: int) -> dict:
    client = Client()
    client.force_login(user)
    for _warm_up in range(3):
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"GET {url} as {role}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: the next request's request_started signal empties the query log.
    query_count = len(queries)
    times = []
    for _request in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:  # a time of an error page is no figure
            sys.exit(f"GET {url} as {role}: HTTP {response.status_code}")
    times.sort()
    return {
        "page": label,
        "url": url,
        "user": role,
        "queries": query_count,
        "median_ms": statistics.median(times),
        "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
        "requests": requests,
    }


def print_database(database: dict, scale: str) -> None:
    rows = database["rows_estimated"]
    print(
        f"Scale {scale}: {database['desa']:,} desa in the territory, "
        f"{database['desa_with_officer']:,} with an officer; "
        f"~{sum(rows.values()):,} activity rows ("
        + ", ".join(f"{table} {count:,}" for table, count in sorted(rows.items()))
        + ")"
    )


def print_recompute(figures: dict) -> None:
    print()
    print(f"{'(a) recompute':<58}{'seconds':>10}")
    workers = figures.get("workers", 1)
    label = f"full recompute, {figures['months']} months, every desa and level"
    if workers > 1:
        label += f", {workers} workers"
    print(f"{label:<58}{figures['seconds']:>10.1f}")
    print(f"{'  one month, median':<58}{figures['month_median_seconds']:>10.1f}")
    print(f"{'  one month, slowest':<58}{figures['month_max_seconds']:>10.1f}")
    print(
        f"{'SQL floor: one GROUP BY desa, month over the same rows':<58}"
        f"{figures['floor_seconds']:>10.1f}"
    )
    print(f"{'ratio recompute / floor':<58}{figures['ratio']:>9.1f}x")


def print_dashboards(pages: list[dict]) -> None:
    print()
    print(
        f"{'(b) dashboard, exports and API':<40}{'signed in as':<20}"
        f"{'queries':>8}{'median ms':>11}{'p95 ms':>9}"
    )
    for page in pages:
        print(
            f"{page['page']:<40}{page['user']:<20}{page['queries']:>8}"
            f"{page['median_ms']:>11.1f}{page['p95_ms']:>9.1f}"
        )


if __name__ == "__main__":
    main()
