import pytest

from portal import scope


def codes(villages):
    return set(villages.values_list("code", flat=True))


def test_anonymous_sees_no_desa(area, client):
    from django.contrib.auth.models import AnonymousUser

    assert codes(scope.visible_villages(AnonymousUser())) == set()


def test_resident_sees_only_their_own_desa(area, resident):
    assert codes(scope.visible_villages(resident)) == {area.village.code}


def test_resident_without_a_desa_sees_none(area, resident):
    resident.village = None
    assert codes(scope.visible_villages(resident)) == set()


def test_officer_sees_only_assigned_desa(area, officer):
    assert codes(scope.visible_villages(officer)) == {area.village.code}


def test_officer_loses_desa_when_assignment_ends(area, officer):
    officer.officer.assignments.update(ends_on="2025-06-30")
    assert codes(scope.visible_villages(officer)) == set()


def test_kapolsek_sees_every_desa_of_the_polsek(area, kapolsek):
    assert codes(scope.visible_villages(kapolsek)) == {area.village.code, area.village_b.code}


def test_polres_commander_sees_every_desa_of_the_polres(area, polres_commander):
    assert codes(scope.visible_villages(polres_commander)) == {
        area.village.code,
        area.village_b.code,
        area.village_elsewhere.code,
    }


def test_polda_viewer_sees_the_province_but_works_nowhere(area, polda_viewer):
    assert len(codes(scope.visible_villages(polda_viewer))) == 4
    assert codes(scope.workable_villages(polda_viewer)) == set()


def test_operator_sees_everything(area, operator):
    assert len(codes(scope.visible_villages(operator))) == 4


@pytest.mark.parametrize(
    ("fixture", "can_see"),
    [
        ("resident", False),
        ("officer", False),
        ("kapolsek", False),
        ("polres_commander", True),
        ("other_polres_commander", False),
        ("polda_viewer", True),
        ("operator", True),
    ],
)
def test_who_can_see_a_desa_in_another_polsek(area, request, fixture, can_see):
    user = request.getfixturevalue(fixture)
    assert scope.can_see_village(user, area.village_elsewhere) is can_see


def test_visible_village_or_404_refuses_outside_scope(area, officer):
    from django.http import Http404

    with pytest.raises(Http404):
        scope.visible_village_or_404(officer, area.village_b.code)
    assert scope.visible_village_or_404(officer, area.village.code) == area.village


def test_times_are_shown_in_the_zone_of_the_users_unit(area, kapolsek, resident):
    area.polsek.timezone = "Asia/Makassar"
    area.polsek.save()
    kapolsek.refresh_from_db()
    assert scope.user_timezone(kapolsek) == "Asia/Makassar"
    assert scope.user_timezone(resident) == "Asia/Jakarta"
