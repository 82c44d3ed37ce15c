"""Roll-ups, idempotency, partial recomputes, and the catalogue and docs kept in step."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from forums.models import Attendance, Meeting, MeetingProblem
from forums.tests.factories import ForumFactory, HeldMeetingFactory, MeetingFactory, MemberFactory
from issues.models import Feedback, Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from metrics.catalogue import INDICATORS
from metrics.models import IndicatorValue
from metrics.tests.compute_helpers import (
    FEB,
    JAN,
    at,
    compute,
    every_row,
    figures,
    row,
    value,
    visit,
)
from metrics.tests.factories import CrimeStatisticFactory, SurveyResponseFactory
from metrics.tests.test_compute_problems import HOUR, filed, resolved, walk
from territory.tests.factories import PolsekFactory, VillageFactory


def activity(area, officer) -> None:
    """A little of everything in January and February, enough for every indicator."""
    for day in ("2026-02-02", "2026-02-09", "2026-02-16"):
        visit(officer, area.village, at(day))
    visit(officer, area.village_b, at("2026-02-03"))
    forum = ForumFactory(village=area.village, created_at=at("2025-01-01"))
    members = [MemberFactory(forum=forum) for _ in range(3)]
    january = HeldMeetingFactory(forum=forum, scheduled_at=at("2026-01-13", "19:00"))
    february = HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-10", "19:00"))
    MeetingFactory(forum=forum, scheduled_at=at("2026-02-24", "19:00"), status="missed")
    for meeting, present in ((january, members[:2]), (february, members)):
        for member in present:
            Attendance.objects.create(meeting=meeting, member=member)
    # Own references: the filed problems take KMT-2026-<pk>, which the factory's may repeat.
    carried = ProblemFactory(
        village=area.village, created_at=at("2026-01-10"), source="forum", reference="T-1"
    )
    for meeting, kind in ((january, "raised"), (february, "reviewed")):
        MeetingProblem.objects.create(
            meeting=meeting, problem=carried, kind=kind, status_at_meeting=Status.NEW
        )
    problem = filed(area, at("2026-02-01"))
    walk(problem, officer, (Status.VERIFIED, at("2026-02-02")), (Status.ANALYSIS, at("2026-02-04")))
    walk(problem, officer, (Status.RESPONSE, at("2026-02-06")))
    done = resolved(area, officer, at("2026-02-12"), resolution=Problem.Resolution.MEDIATION)
    Feedback.objects.create(problem=done, solved=True, rating=4, created_at=at("2026-02-20"))
    for village, hours in zip(
        [area.village_b, *(VillageFactory(polsek=area.polsek) for _ in "abc")],
        (1, 2, 4, 8),
        strict=True,
    ):
        created = at("2026-02-10")
        ProblemFactory(
            village=village,
            created_at=created,
            first_action_at=created + hours * HOUR,
            reference=f"T-{village.pk}",
        )
    SurveyResponseFactory(village=area.village, quarter=JAN)
    area.village.population = 5000
    area.village.save()
    CrimeStatisticFactory(village=area.village, month=FEB)


def test_a_polres_ratio_is_its_polsek_numerators_summed_over_their_denominators(area):
    held_once = ForumFactory(village=area.village)
    HeldMeetingFactory(forum=held_once, scheduled_at=at("2026-02-03", "19:00"))
    held_one_of_three = ForumFactory(village=area.village_elsewhere)
    HeldMeetingFactory(forum=held_one_of_three, scheduled_at=at("2026-02-03", "19:00"))
    for day in ("2026-02-10", "2026-02-17"):
        MeetingFactory(forum=held_one_of_three, scheduled_at=at(day, "19:00"), status="missed")
    compute(FEB)
    assert value("meetings_held_pct", area.polsek.code) == 100
    assert round(value("meetings_held_pct", area.polsek_other.code), 2) == 33.33
    # 2 held of 4, not the mean of 100 % and 33 %.
    assert row("meetings_held_pct", area.polres.code) == (50, 2, 4)
    assert row("meetings_held_pct", area.polda.code) == (50, 2, 4)
    assert row("meetings_held_pct", "ID") == (50, 2, 4)


def test_every_indicator_of_the_catalogue_is_computed(area, officer):
    activity(area, officer)
    compute(JAN, FEB)
    computed = set(IndicatorValue.objects.values_list("indicator", flat=True))
    assert computed == {indicator.key for indicator in INDICATORS}


def test_a_second_run_changes_nothing(area, officer):
    activity(area, officer)
    compute(JAN, FEB)
    before = every_row()
    reports = compute(JAN, FEB, now=datetime.datetime(2026, 3, 20, 5, 0, 1, tzinfo=datetime.UTC))
    assert every_row() == before
    assert [(r.written, r.deleted) for r in reports] == [(0, 0), (0, 0)]


def test_recomputing_some_desa_gives_what_a_full_recompute_gives(area, officer):
    activity(area, officer)
    compute(JAN, FEB)
    visit(officer, area.village, at("2026-02-25"))
    Meeting.objects.filter(status="missed").update(status="cancelled")
    ProblemFactory(
        village=area.village,
        created_at=at("2026-02-26"),
        first_action_at=at("2026-02-27"),
        reference="T-late",
    )
    compute(FEB, village_ids=[area.village.pk])
    partial = figures()
    IndicatorValue.objects.all().delete()
    compute(JAN, FEB)
    assert figures() == partial


def test_an_indicator_no_longer_defined_loses_its_rows(area):
    forum = ForumFactory(village=area.village)
    HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-03", "19:00"))
    compute(FEB)
    assert value("meetings_held_pct", "ID") == 100
    Meeting.objects.all().delete()
    reports = compute(FEB)
    assert not IndicatorValue.objects.filter(indicator="meetings_held_pct").exists()
    assert reports[0].deleted > 0


def test_a_level_above_the_desa_is_summed_from_the_stored_rows_below(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    compute(FEB, levels=["desa"])
    assert set(IndicatorValue.objects.values_list("level", flat=True)) == {"desa"}
    compute(FEB, levels=["polsek"])
    assert row("desa_visited_pct", area.polsek.code) == (50, 1, 2)
    assert value("desa_visited_pct", area.polres.code) is None


def test_a_full_run_sums_the_levels_above_the_desa_as_the_stored_rows_below_add_up(area, officer):
    """A full run sums every level above the desa from the desa's rows in one statement; a
    level computed alone sums the stored rows one level down. Both give the same rows: the
    nation is the sum of its Polda, and a desa outside any Polsek has its own row only."""
    activity(area, officer)
    elsewhere = VillageFactory(polsek=PolsekFactory())  # under a Polres of a second Polda
    visit(officer, elsewhere, at("2026-02-04"))
    alone = VillageFactory(polsek=None)
    visit(officer, alone, at("2026-02-05"))
    compute(JAN, FEB)
    full = figures()
    poldas = [area.polda.code, elsewhere.polsek.parent.parent.code]
    by_polda = [row("desa_visited_pct", code) for code in poldas]
    assert [found[1:] for found in by_polda] == [(2, 7), (1, 1)]
    assert row("desa_visited_pct", "ID")[1:] == (3, 8)
    assert row("desa_visited_pct", alone.code) == (100, 1, 1)
    nation = IndicatorValue.objects.filter(level="nation", indicator="desa_visited_pct")
    assert nation.filter(month=FEB).count() == 1
    for level in ("polsek", "polres", "polda", "nation"):
        reports = compute(JAN, FEB, levels=[level])
        assert [(r.written, r.deleted) for r in reports] == [(0, 0), (0, 0)]
    assert figures() == full


def test_months_that_have_not_begun_are_skipped(area, officer):
    assert compute(datetime.date(2026, 4, 1)) == []
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("document", ["indicators.md", "indicators.id.md"])
def test_every_indicator_has_its_heading_in_the_docs(document):
    # The English original and its Indonesian translation: each key once, none other.
    text = (Path(settings.BASE_DIR) / "docs" / document).read_text(encoding="utf-8")
    headings = re.findall(r"^### (\w+)$", text, flags=re.MULTILINE)
    assert sorted(headings) == sorted(indicator.key for indicator in INDICATORS)
