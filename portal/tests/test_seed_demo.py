from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from metrics.models import IndicatorValue, RecomputeRequest
from officers.models import Assignment
from portal import demo, scope
from portal.synthetic.run import TIME_ORDER, cluster_by_time
from territory.models import Village


@pytest.fixture
def demo_polres(db, capsys):
    # The real territory of Kabupaten Bandung (31 kecamatan, 280 desa/kelurahan).
    # Without the two years of forum meetings: test_seed_demo_builds_forums has them.
    call_command("seed_demo", "--without-forums")
    return capsys.readouterr().out


def test_seed_demo_builds_a_polres_with_officers_on_two_or_three_desa(demo_polres):
    per_officer = Counter(Assignment.objects.values_list("officer_id", flat=True))
    assert len(per_officer) > 80
    assert set(per_officer.values()) <= {1, 2, 3}
    assert Counter(per_officer.values()).most_common(1)[0][0] in (2, 3)
    villages = Village.objects.filter(district__regency__code=demo.DEMO_REGENCY)
    assert villages.count() == 280
    # Most desa have an officer; a few are left without, as the commander's page shows.
    assert 0 < villages.filter(assignments__isnull=True).count() < 30
    assert User.objects.filter(role=User.Role.KAPOLSEK).count() == 31
    # Every demo desa has residents, so crimes per 10,000 residents has figures.
    assert not villages.filter(population__isnull=True).exists()
    assert IndicatorValue.objects.filter(indicator="crimes_per_10k", level="polres").exists()
    # The months computed need no queued recompute, and the older ones are not computed.
    assert not RecomputeRequest.objects.exists()


def test_seed_demo_prints_the_demo_logins(demo_polres):
    assert demo.DEMO_PASSWORD in demo_polres
    for email in [
        "operator@polmas.test",
        "kapolres@polmas.test",
        "kapolsek1@polmas.test",
        "bhabin1@polmas.test",
        "warga1@polmas.test",
    ]:
        assert email in demo_polres
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


def test_seed_demo_twice_changes_nothing(demo_polres, capsys):
    before = (
        User.objects.count(),
        Assignment.objects.count(),
        sorted(Assignment.objects.values_list("officer__nrp", "village__code")),
    )
    call_command("seed_demo", "--without-forums")
    after = (
        User.objects.count(),
        Assignment.objects.count(),
        sorted(Assignment.objects.values_list("officer__nrp", "village__code")),
    )
    assert before == after
    assert "0 accounts, 0 assignments, 0 problems, 0 visits, 0 forums" in capsys.readouterr().out


def test_demo_roles_each_see_their_own_area(demo_polres):
    kapolres = User.objects.get(email="kapolres@polmas.test")
    kapolsek = User.objects.get(email="kapolsek1@polmas.test")
    officer = User.objects.get(email="bhabin1@polmas.test")
    resident = User.objects.get(email="warga1@polmas.test")
    assert scope.visible_villages(kapolres).count() == 280
    assert 0 < scope.visible_villages(kapolsek).count() < 280
    assert set(scope.visible_villages(officer)) <= set(scope.visible_villages(kapolsek))
    assert scope.visible_villages(resident).get() == resident.village


def test_seed_demo_has_problems_in_every_stage(demo_polres):
    from issues.models import Problem
    from issues.workflow import Status

    statuses = set(Problem.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Problem.objects.filter(is_private=True).exists()


def test_seed_demo_logs_visits_and_leaves_some_desa_neglected(demo_polres):
    from officers.models import Visit

    assert Visit.objects.count() > 500
    visited = set(Visit.objects.values_list("village_id", flat=True))
    assert Village.objects.filter(assignments__isnull=False).exclude(pk__in=visited).exists()


def test_seed_demo_builds_forums_with_meetings_and_twice_changes_nothing(db, capsys):
    from forums.models import Forum, Meeting

    # Kota Banjar (25 desa) rather than the demo's 280: the same code, a tenth of the time.
    call_command("seed_demo", "--regency", "32.79")
    forums, meetings = Forum.objects.count(), Meeting.objects.count()
    assert forums > 15 and meetings > 300
    assert set(Meeting.objects.values_list("status", flat=True)) >= {"held", "planned"}
    call_command("seed_demo", "--regency", "32.79")
    assert (Forum.objects.count(), Meeting.objects.count()) == (forums, meetings)


@pytest.mark.postgres
def test_the_largest_tables_can_be_put_in_time_order(db):
    if connection.vendor != "postgresql":
        pytest.skip("CLUSTER is PostgreSQL's")
    cluster_by_time()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
            " WHERE i.indisclustered"
        )
        clustered = {name for (name,) in cursor.fetchall()}
    assert {model._meta.db_table for model, _columns in TIME_ORDER} <= clustered
