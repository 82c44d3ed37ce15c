"""A backfill over several connections gives the figures of one run. The threads' connections
see only committed rows: these tests commit (`transactional_db`, which also puts back the
categories the migrations seeded)."""

import datetime
import threading

import pytest
from django.db import connection

from issues import services as issue_services
from issues.workflow import Status
from metrics.compute import problems
from metrics.compute.parallel import Stopped, recompute_in_parallel
from metrics.models import IndicatorValue
from metrics.tests.compute_helpers import FEB, JAN, MAR, NOW, at, compute, figures, visit
from metrics.tests.test_compute_problems import filed


@pytest.mark.postgres
def test_months_computed_side_by_side_give_the_figures_of_one_run(transactional_db, area, officer):
    if connection.vendor != "postgresql":
        pytest.skip("threads with their own connections need PostgreSQL (SQLite locks)")
    for day in ("2026-01-05", "2026-02-03", "2026-02-17", "2026-03-02"):
        visit(officer, area.village, at(day))
    filed(area, at("2026-01-10"))  # never answered: waiting at every month's end
    answered = filed(area, at("2026-02-01"))
    issue_services.problem_transition(
        actor=officer, problem=answered, to_status=Status.VERIFIED, now=at("2026-02-04")
    )
    reports = recompute_in_parallel(months=[JAN, FEB, MAR], workers=2, now=NOW)
    assert [report.month for report in reports] == [JAN, FEB, MAR]
    side_by_side = figures()
    assert ("overdue_open", "desa", area.village.code, JAN) in {row[:4] for row in side_by_side}
    IndicatorValue.objects.all().delete()
    compute(JAN, FEB, MAR)
    assert figures() == side_by_side
    assert len(side_by_side) > 50


@pytest.mark.postgres
def test_a_failing_worker_stops_the_others_after_their_month_and_is_raised(
    transactional_db, area, officer, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("threads with their own connections need PostgreSQL (SQLite locks)")
    original, stop = problems.stage_desa, threading.Event()
    july, august = datetime.date(2025, 7, 1), datetime.date(2025, 8, 1)

    def july_fails_while_august_runs(cursor, month):
        if month.month == july:
            raise RuntimeError("July failed")
        if month.month == august:
            # Until the failing worker has told the others to stop (after unwinding its own
            # month, which on a busy machine can take longer than August).
            stop.wait(timeout=30)
        return original(cursor, month)

    monkeypatch.setattr(problems, "stage_desa", july_fails_while_august_runs)
    # Dealt newest first, in turns, and each worker computes its months oldest first: one has
    # March, January, … July, and fails on July, its first; the other has February, …, August,
    # and stops after August instead of going on.
    months = [datetime.date(2025, number, 1) for number in range(7, 13)] + [JAN, FEB, MAR]
    with pytest.raises(RuntimeError, match="July failed"):
        recompute_in_parallel(months=months, workers=2, now=NOW, stop=stop)
    assert stop.is_set()
    assert set(IndicatorValue.objects.values_list("month", flat=True)) == {august}


def test_one_worker_also_stops_after_its_current_month(db, area, officer):
    visit(officer, area.village, at("2026-01-05"))
    stop = threading.Event()
    with pytest.raises(Stopped):
        recompute_in_parallel(
            months=[JAN, FEB, MAR], workers=1, now=NOW, stop=stop, progress=lambda _r: stop.set()
        )
    # Oldest first: January is committed, February and March are left for the next run.
    assert set(IndicatorValue.objects.values_list("month", flat=True)) == {JAN}
