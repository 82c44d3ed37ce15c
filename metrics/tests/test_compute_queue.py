"""The writes that queue a recompute, the queue itself, the Celery tasks, the backfill command,
and how a resolved problem was solved."""

import datetime
import io
import threading

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from forums import services as forum_services
from forums.tests.factories import ForumFactory, MeetingFactory
from issues import services as issue_services
from issues.models import Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from metrics import tasks
from metrics.compute import queue
from metrics.crime_import import crime_statistics_import
from metrics.models import IndicatorValue, RecomputeRequest
from metrics.services import recompute_request
from metrics.survey import survey_respond
from metrics.tests.compute_helpers import (
    FEB,
    JAN,
    MAR,
    NOW,
    at,
    compute,
    figures,
    row,
    value,
    visit,
)
from metrics.tests.factories import CrimeStatisticFactory
from metrics.tests.test_compute_problems import filed, resolved
from metrics.tests.test_crime_import import as_csv
from officers import services as officer_services
from territory.tests.factories import VillageFactory


def queued() -> set[tuple[int, datetime.date]]:
    return set(RecomputeRequest.objects.values_list("village_id", "month"))


# --- Hooks -------------------------------------------------------------------------------------


def test_filing_a_problem_queues_its_desa_and_month(area):
    filed(area, at("2026-02-03"))
    assert queued() == {(area.village.pk, FEB)}


def test_reopening_queues_the_month_of_the_resolution_too(area, officer):
    problem = resolved(area, officer, at("2026-02-05"))
    RecomputeRequest.objects.all().delete()
    issue_services.problem_transition(
        actor=officer,
        problem=problem,
        to_status=Status.REOPENED,
        note="Belum",
        now=at("2026-03-02"),
    )
    assert queued() == {(area.village.pk, FEB), (area.village.pk, MAR)}


def test_a_meeting_marked_missed_queues_the_month_it_was_planned_for(area):
    forum = ForumFactory(village=area.village)
    MeetingFactory(forum=forum, scheduled_at=at("2026-02-27", "19:00"))
    forum_services.meetings_mark_missed(now=at("2026-03-05"))
    assert queued() == {(area.village.pk, FEB)}


@time_machine.travel(NOW, tick=False)
def test_logging_a_visit_queues_the_desa_and_the_month_of_the_visit(area, officer):
    officer_services.visit_log(actor=officer, village=area.village, visited_at=at("2026-02-27"))
    assert queued() == {(area.village.pk, FEB)}


@time_machine.travel(NOW, tick=False)
def test_a_new_assignment_queues_every_desa_of_the_officer_from_its_start(area, officer, operator):
    officer_services.assignment_create(
        actor=operator,
        officer=officer.officer,
        village=area.village_b,
        is_primary=False,
        starts_on=datetime.date(2026, 2, 10),
    )
    villages = (area.village.pk, area.village_b.pk)
    assert queued() == {(v, m) for v in villages for m in (FEB, MAR)}


def test_a_survey_answer_reaches_the_quarters_figures_through_the_queue(area, resident):
    """The survey's figures are stored under the quarter's first month, not the answer's."""
    survey_respond(
        actor=resident,
        village=area.village,
        trust=4,
        satisfaction=2,
        safe_at_night=5,
        knows_forum=1,
        now=NOW,
    )
    assert queued() == {(area.village.pk, JAN)}
    queue.recompute_pending(now=NOW)
    assert row("trust_pct", area.village.code, JAN) == (100, 1, 1)
    assert row("satisfaction_pct", area.village.code, JAN) == (0, 0, 1)


def test_a_crime_import_for_one_desa_gives_its_polsek_what_a_full_run_gives(area, operator):
    """Once a Polsek has a row for the month its desa without one count zero crimes, and
    without any they have no figure: an import, or an edit in the administration, queues
    every desa of the Polsek of each row it adds or removes."""
    compute(FEB)

    def import_and_drain(*rows):
        with time_machine.travel(NOW, tick=False):
            result = crime_statistics_import(
                actor=operator, name="f.csv", content=as_csv(rows), replace=True
            )
        assert result.ok, result.bad_rows
        queue.recompute_pending(now=NOW)
        by_queue = figures()
        compute(FEB)
        assert figures() == by_queue

    import_and_drain(["2026-02", area.village.code, "", "pencurian", "4", "1"])
    assert value("crimes_reported", area.village_b.code) == 0  # the Polsek's other desa
    assert value("crimes_reported", area.polsek.code) == 4
    # Re-imported with the other Polsek's figures only: the first Polsek's desa lose theirs.
    import_and_drain(["2026-02", area.village_elsewhere.code, "", "pencurian", "2", "0"])
    assert value("crimes_reported", area.village_b.code) is None
    assert value("crimes_reported", area.village.code) is None
    assert value("crimes_reported", area.polres.code) == 2


def test_editing_a_crime_row_in_the_administration_queues_its_polseks_desa(client, area, operator):
    statistic = CrimeStatisticFactory(month=FEB, village=area.village, reported=3, cleared=1)
    client.force_login(operator)
    url = reverse("admin:metrics_crimestatistic_change", args=[statistic.pk])
    fields = {
        "month": "2026-02-01",
        "village": area.village_elsewhere.pk,
        "polsek": area.polsek_other.pk,
        "crime_type": statistic.crime_type_id,
        "reported": 5,
        "cleared": 1,
        "source": "",
    }
    assert client.post(url, fields).status_code == 302
    # Both Polsek: the one the row left and the one it moved to.
    everywhere = {area.village.pk, area.village_b.pk, area.village_elsewhere.pk}
    assert queued() == {(village, FEB) for village in everywhere}
    RecomputeRequest.objects.all().delete()
    delete = reverse("admin:metrics_crimestatistic_delete", args=[statistic.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert queued() == {(area.village_elsewhere.pk, FEB)}
    RecomputeRequest.objects.all().delete()
    # The list's "delete selected" action too: a Polsek's own row queues all its desa.
    rows = [CrimeStatisticFactory(month=MAR, village=None, polsek=area.polsek) for _ in "ab"]
    changelist = reverse("admin:metrics_crimestatistic_changelist")
    selected = {"action": "delete_selected", "_selected_action": [r.pk for r in rows]}
    assert client.post(changelist, {**selected, "post": "yes"}).status_code == 302
    assert queued() == {(area.village.pk, MAR), (area.village_b.pk, MAR)}


# --- The queue and the tasks -------------------------------------------------------------------


def test_the_queue_recomputes_the_requested_desa_and_their_areas(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    recompute_request(village_ids=[area.village.pk], months=[FEB])
    totals = queue.recompute_pending(now=NOW)
    assert totals["requests"] == 1
    assert value("desa_visited_pct", area.village.code) == 100
    # Only the requested desa's own rows; the areas above count every desa.
    assert value("desa_visited_pct", area.village_b.code) is None
    assert row("desa_visited_pct", area.polsek.code) == (100, 1, 1)
    assert not RecomputeRequest.objects.exists()


def test_a_failed_recompute_puts_its_requests_back(area, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(queue, "recompute", fail)
    recompute_request(village_ids=[area.village.pk], months=[FEB])
    with pytest.raises(RuntimeError):
        queue.recompute_pending(now=NOW)
    assert queued() == {(area.village.pk, FEB)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_claim_the_same_request():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    villages = [VillageFactory() for _ in range(40)]
    recompute_request(village_ids=[v.pk for v in villages], months=[FEB])
    start, claims = threading.Barrier(2), []

    def worker():
        start.wait()
        try:
            claims.append(queue.claim(limit=30))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = (claim.get(FEB, set()) for claim in claims)
    assert not first & second
    assert first | second == {v.pk for v in villages}


def test_the_nightly_task_recomputes_the_recent_months_and_the_quarters_first(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    with time_machine.travel(NOW, tick=False):
        result = tasks.recompute_recent_months.delay().get()
    # January holds the quarter's survey figures.
    assert [line[:7] for line in result] == ["2026-01", "2026-02", "2026-03"]
    assert value("desa_visited_pct", area.village.code, FEB) == 100
    assert value("desa_visited_pct", area.village.code, MAR) == 0


def test_the_queue_task_drains_the_queue(area):
    recompute_request(village_ids=[area.village.pk], months=[FEB])
    with time_machine.travel(NOW, tick=False):
        assert tasks.recompute_queued.delay().get()["requests"] == 1
    assert not RecomputeRequest.objects.exists()


def test_beat_runs_the_queue_every_minute_and_the_recent_months_nightly():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"metrics.tasks.recompute_queued", "metrics.tasks.recompute_recent_months"} <= (
        tasks_scheduled
    )


# --- The command -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_command_recomputes_a_range_of_months_and_reports_each(area, officer):
    out = io.StringIO()
    call_command("recompute_indicators", "--from", "2026-01", "--to", "2026-05", stdout=out)
    lines = out.getvalue().splitlines()
    # April and May have not begun.
    assert [line[:8] for line in lines[:3]] == ["2026-01:", "2026-02:", "2026-03:"]
    assert len(lines) == 4
    assert IndicatorValue.objects.filter(month=FEB, level="nation").exists()


def test_the_command_recomputes_the_queue_where_no_beat_runs(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    recompute_request(village_ids=[area.village.pk, area.village_b.pk], months=[FEB])
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("recompute_indicators", "--queued", stdout=out)
    assert "2 desa-bulan dalam antrean dihitung ulang" in out.getvalue()
    assert not RecomputeRequest.objects.exists()
    assert value("desa_visited_pct", area.village.code) == 100


def test_the_command_refuses_a_range_with_the_queue():
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--queued", "--from", "2026-13")


def test_the_command_refuses_a_range_backwards():
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--from", "2026-03", "--to", "2026-01")


def test_the_command_refuses_no_workers():
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--workers", "0")


def test_the_command_refuses_a_month_it_cannot_read():
    with pytest.raises(CommandError):
        call_command("recompute_indicators", "--from", "March")


# --- How a problem was solved ------------------------------------------------------------------


def test_resolving_records_how_the_problem_was_solved(area, officer):
    problem = resolved(
        area, officer, at("2026-02-05"), resolution=Problem.Resolution.COMMUNITY_ACTION
    )
    assert problem.resolution == Problem.Resolution.COMMUNITY_ACTION


def test_how_it_was_solved_is_refused_on_any_other_step(area, officer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(ValidationError) as refused:
        issue_services.problem_transition(
            actor=officer,
            problem=problem,
            to_status=Status.VERIFIED,
            resolution=Problem.Resolution.MEDIATION,
        )
    assert "resolution" in refused.value.message_dict


def test_the_officer_must_say_how_a_problem_was_solved_when_resolving(client, area, officer):
    problem = ProblemFactory(village=area.village, status=Status.ASSESSMENT)
    client.force_login(officer)
    url = reverse("issues:transition", args=[problem.reference])
    response = client.post(url, {"to_status": Status.RESOLVED})
    assert response.status_code == 400
    response = client.post(
        url, {"to_status": Status.RESOLVED, "resolution": Problem.Resolution.MEDIATION}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolution) == (Status.RESOLVED, "mediation")
