"""Families 5 (share raised by residents), 6, 7, 9, 10 and the response spread of 11."""

import datetime

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from issues import services
from issues.models import Category, Feedback, Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from metrics.tests.compute_helpers import FEB, MAR, NOW, at, compute, row, value
from territory.tests.factories import VillageFactory

HOUR = datetime.timedelta(hours=1)
SARA = [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT, Status.RESOLVED]


def filed(area, when: datetime.datetime) -> Problem:
    return services.problem_file(
        actor=None,
        village=area.village,
        category=Category.objects.get(code="pencurian"),
        title="Motor hilang",
        description="Motor hilang di depan masjid.",
        consent=True,
        contact_email="warga@example.org",
        now=when,
    ).problem


def walk(problem: Problem, officer, *steps: tuple[str, datetime.datetime], **last) -> Problem:
    """Move the problem through `steps` (status, when); `last` goes to the final step."""
    for number, (status, when) in enumerate(steps, start=1):
        options = last if number == len(steps) else {}
        services.problem_transition(
            actor=officer, problem=problem, to_status=status, now=when, **options
        )
        problem.refresh_from_db()
    return problem


def resolved(area, officer, when: datetime.datetime, **options) -> Problem:
    problem = filed(area, when - 5 * HOUR)
    steps = [(status, when - (4 - n) * HOUR) for n, status in enumerate(SARA)]
    return walk(problem, officer, *steps, **options)


def test_problems_raised_by_residents_leave_out_forums_and_police_accounts(area):
    ProblemFactory(village=area.village, created_at=at("2026-02-02"))
    ProblemFactory(village=area.village, created_at=at("2026-02-03"), source="forum")
    ProblemFactory(
        village=area.village,
        created_at=at("2026-02-04"),
        reporter=UserFactory(role=User.Role.OFFICER),
    )
    compute(FEB)
    assert row("resident_raised_pct", area.village.code) == (pytest.approx(33.333333), 1, 3)


def test_response_median_is_recomputed_from_the_problems_at_every_level(area):
    for village, hours in ((area.village, (2, 10)), (area.village_elsewhere, (30, 40))):
        for h in hours:
            created = at("2026-02-10")
            ProblemFactory(village=village, created_at=created, first_action_at=created + h * HOUR)
    compute(FEB)
    assert value("response_hours_median", area.village.code) == 6
    assert value("response_hours_median", area.polsek_other.code) == 35
    # The median of 2, 10, 30 and 40 hours, not the mean of the Polsek medians (20.5).
    assert row("response_hours_median", area.polres.code) == (20, None, 4)


def test_first_action_within_48_hours_counts_only_problems_whose_48_hours_are_over(area):
    created = at("2026-03-02")
    for hours in (5, 60):
        ProblemFactory(
            village=area.village, created_at=created, first_action_at=created + hours * HOUR
        )
    ProblemFactory(village=area.village, created_at=created)  # overdue
    ProblemFactory(village=area.village, created_at=NOW - HOUR)  # still has time
    compute(MAR)
    assert row("response_48h_pct", area.village.code, MAR) == (pytest.approx(33.333333), 1, 3)


def test_days_in_each_stage_are_medians_of_the_stays_that_ended_in_the_month(area, officer):
    quick, slow = filed(area, at("2026-02-01")), filed(area, at("2026-02-01"))
    walk(quick, officer, (Status.VERIFIED, at("2026-02-02")), (Status.ANALYSIS, at("2026-02-05")))
    walk(slow, officer, (Status.VERIFIED, at("2026-02-04")), (Status.ANALYSIS, at("2026-02-06")))
    compute(FEB)
    assert row("days_new_median", area.village.code) == (2, None, 2)
    assert value("days_verified_median", area.village.code) == 2.5
    assert value("days_analysis_median", area.village.code) is None
    assert value("days_new_median", "ID") == 2


def test_a_stay_that_began_long_before_the_month_is_measured_from_its_start(area, officer):
    # Verified in October, left verification in February: longer than the window of events
    # the computation reads at once, so the stay's start is looked up.
    old = filed(area, at("2025-10-01"))
    walk(old, officer, (Status.VERIFIED, at("2025-10-02")), (Status.ANALYSIS, at("2026-02-09")))
    compute(FEB)
    assert value("days_verified_median", area.village.code) == 130


def test_a_stay_that_began_days_before_the_month_is_measured_from_its_start(area, officer):
    # Verified on 30 January, left verification on 2 February: the stay's start is before the
    # month, among the events the month's own window does not read.
    problem = filed(area, at("2026-01-29"))
    walk(problem, officer, (Status.VERIFIED, at("2026-01-30")), (Status.ANALYSIS, at("2026-02-02")))
    compute(FEB)
    assert value("days_verified_median", area.village.code) == 3
    assert value("days_new_median", area.village.code) is None  # that stay ended in January


def test_stays_between_events_at_the_same_moment_last_no_time(area, officer):
    problem = filed(area, at("2026-01-29"))
    when = at("2026-02-03")
    walk(
        problem, officer, (Status.VERIFIED, when), (Status.ANALYSIS, when), (Status.RESPONSE, when)
    )
    compute(FEB)
    assert value("days_new_median", area.village.code) == 5
    assert value("days_verified_median", area.village.code) == 0
    assert value("days_analysis_median", area.village.code) == 0


def test_open_problems_past_analysis_are_counted_at_the_end_of_each_month(area, officer):
    moved_on = filed(area, at("2026-02-01"))
    walk(moved_on, officer, *((s, at(f"2026-02-0{n + 2}")) for n, s in enumerate(SARA[:3])))
    walk(
        moved_on,
        officer,
        (Status.ASSESSMENT, at("2026-03-05")),
        (Status.RESOLVED, at("2026-03-06")),
    )
    stuck = filed(area, at("2026-02-10"))
    walk(stuck, officer, (Status.VERIFIED, at("2026-02-11")), (Status.ANALYSIS, at("2026-02-12")))
    filed(area, at("2026-02-20"))
    filed(area, at("2026-03-10"))
    hidden = ProblemFactory(village=area.village, created_at=at("2026-02-01"), status="response")
    Problem.objects.filter(pk=hidden.pk).update(is_hidden=True)
    compute(FEB, MAR)
    # End of February: one in response, one in analysis, one new.
    assert row("past_analysis_pct", area.village.code, FEB) == (pytest.approx(33.333333), 1, 3)
    # Now: the first is resolved, a new one came in.
    assert row("past_analysis_pct", area.village.code, MAR) == (0, 0, 3)


def test_problems_still_waiting_for_a_first_action_are_counted_at_each_months_end(area, officer):
    # Reported in January, never answered: waiting at the end of February and now.
    filed(area, at("2026-01-20"))
    # Reported on 26 February: its 48 hours are over at the month's end, answered in March.
    late = filed(area, at("2026-02-26"))
    walk(late, officer, (Status.VERIFIED, at("2026-03-02")))
    # Reported on 28 February at 18:00: its 48 hours run into March.
    filed(area, at("2026-02-28", "18:00"))
    # Answered in time, and a problem an operator hid: never waiting.
    walk(filed(area, at("2026-02-10")), officer, (Status.VERIFIED, at("2026-02-11")))
    hidden = ProblemFactory(village=area.village, created_at=at("2026-02-01"), status="new")
    Problem.objects.filter(pk=hidden.pk).update(is_hidden=True)
    compute(FEB, MAR)
    assert value("overdue_open", area.village.code, FEB) == 2
    # Now (20 March): the January one and the one of 28 February; 26 February was answered.
    assert value("overdue_open", area.village.code, MAR) == 2
    assert value("overdue_open", area.polsek.code, FEB) == 2
    assert value("overdue_open", "ID", MAR) == 2


def test_reopening_and_self_reliance_count_the_resolutions_of_the_month(area, officer):
    resolved(area, officer, at("2026-02-05"), resolution=Problem.Resolution.MEDIATION)
    reopened = resolved(area, officer, at("2026-02-06"), resolution=Problem.Resolution.MEDIATION)
    resolved(area, officer, at("2026-02-07"), resolution=Problem.Resolution.POLICE_ACTION)
    resolved(area, officer, at("2026-02-08"), resolution=Problem.Resolution.COMMUNITY_ACTION)
    resolved(area, officer, at("2026-02-09"))  # how it was solved not recorded
    services.problem_transition(
        actor=officer,
        problem=reopened,
        to_status=Status.REOPENED,
        note="Belum",
        now=at("2026-03-02"),
    )
    compute(FEB)
    assert row("reopen_pct", area.village.code) == (20, 1, 5)
    # Of the resolutions that stand and say how: mediation, police, community action.
    assert row("community_solved_pct", area.village.code) == (pytest.approx(66.666667), 2, 3)


def test_a_resolution_reopened_at_the_same_moment_counts_as_reopened(area, officer):
    problem = resolved(area, officer, at("2026-02-05"))
    services.problem_transition(
        actor=officer,
        problem=problem,
        to_status=Status.REOPENED,
        note="Belum",
        now=at("2026-02-05"),
    )
    compute(FEB)
    assert row("reopen_pct", area.village.code) == (100, 1, 1)


def test_residents_answers_give_the_share_fixed_and_the_mean_rating(area):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    for solved, rating in ((True, 5), (True, 4), (False, 2), (True, None)):
        Feedback.objects.create(
            problem=problem, solved=solved, rating=rating, created_at=at("2026-02-10")
        )
    compute(FEB)
    assert row("fixed_yes_pct", area.village.code) == (75, 3, 4)
    assert row("rating_mean", area.village.code) == (pytest.approx(3.666667), 11, 3)


def test_response_spread_compares_the_slowest_quarter_of_desa_with_the_fastest(area):
    villages = [area.village, area.village_b, *(VillageFactory(polsek=area.polsek) for _ in "ab")]
    for village, hours in zip(villages, (1, 2, 4, 8), strict=True):
        created = at("2026-02-10")
        ProblemFactory(village=village, created_at=created, first_action_at=created + hours * HOUR)
    compute(FEB)
    assert row("response_spread", area.polsek.code) == (8, 8, 1)
    assert value("response_spread", area.village.code) is None
    # Fewer than four desa with a response: not defined.
    assert value("response_spread", area.polsek_other.code) is None
