import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from forums.models import Member
from forums.tests.factories import ForumFactory, MemberFactory
from officers.tests.factories import AssignmentFactory
from territory.tests.factories import VillageFactory


def sign_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("landing")
    return response


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("landing"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_resident_lands_on_their_desa(client, area, resident):
    page = sign_in(client, resident).content.decode()
    assert area.village.name in page
    assert area.village_b.name not in page


def test_a_forums_secretary_finds_their_forum_on_their_page(client, area, resident):
    forum = ForumFactory(village=area.village, name="FKPM Sukamaju Rukun")
    other = ForumFactory(village=area.village_b, name="FKPM Lain")
    MemberFactory(forum=other, user=resident, role=Member.Role.MEMBER)
    page = sign_in(client, resident).content.decode()
    assert forum.name not in page and other.name not in page
    MemberFactory(forum=forum, user=resident, role=Member.Role.SECRETARY)
    page = client.get(reverse("landing")).content.decode()
    assert reverse("forums:detail", args=[forum.pk]) in page
    assert reverse("forums:action_items") in page
    assert other.name not in page


def test_resident_without_desa_is_asked_to_choose_one(client, area, resident):
    resident.village = None
    resident.save()
    page = sign_in(client, resident).content.decode()
    assert "village-q" in page


def test_officer_lands_on_their_assigned_desa(client, area, officer):
    page = sign_in(client, officer).content.decode()
    assert area.village.name in page
    assert area.village_b.name not in page
    assert area.village_elsewhere.name not in page


def test_kapolsek_lands_on_the_polsek_and_sees_only_it(client, area, kapolsek, officer):
    page = sign_in(client, kapolsek).content.decode()
    assert area.polsek.name in page
    assert area.village.name in page and area.village_b.name in page
    assert area.village_elsewhere.name not in page
    assert area.village_other_polres.name not in page


def test_polres_commander_lands_on_the_polres_with_its_polsek(client, area, polres_commander):
    page = sign_in(client, polres_commander).content.decode()
    assert area.polres.name in page
    assert area.polsek.name in page and area.polsek_other.name in page
    assert area.village_elsewhere.name in page
    assert area.village_other_polres.name not in page


def test_polres_commander_cannot_list_another_polres_unit(client, area, polres_commander):
    client.force_login(polres_commander)
    page = client.get(reverse("landing"), {"unit": "POLSEK-32.73.01"}).content.decode()
    assert area.village_other_polres.name not in page


def test_polres_commander_filters_desa_without_officer(client, area, polres_commander, officer):
    client.force_login(polres_commander)
    page = client.get(reverse("landing"), {"unassigned": "1"}).content.decode()
    assert area.village_b.name in page
    assert f">{area.village.name}<" not in page and f"{area.village.name}</a>" not in page


def test_polda_viewer_lands_on_the_polda_with_its_polres(client, area, polda_viewer):
    page = sign_in(client, polda_viewer).content.decode()
    assert area.polda.name in page
    assert area.polres.name in page and area.polres_other.name in page


def test_operator_lands_on_the_operator_page(client, area, operator):
    page = sign_in(client, operator).content.decode()
    assert reverse("admin:index") in page
    # The imports an operator runs for a Polres are a tap away, not hidden in the README.
    assert reverse("officers:import") in page
    assert reverse("metrics_data:crime_import") in page


@pytest.mark.parametrize("rows", [1, 20])
def test_commander_page_queries_do_not_grow_with_desa(client, area, polres_commander, rows):
    for _number in range(rows):
        village = VillageFactory(polsek=area.polsek, district=area.village.district)
        AssignmentFactory(village=village, officer__unit=area.polsek)
    client.force_login(polres_commander)
    client.get(reverse("landing"))  # warm up the session and the content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("landing"))
    assert response.status_code == 200
    # session, user (with officer, unit, its parents and desa), desa counts grouped by Polsek,
    # the Polsek, desa count, count of desa without officer, the area's problems (overdue and
    # new), meetings of the week, desa not visited, paginator count, desa page, active
    # assignments of the page.
    assert len(queries) == 12, [q["sql"] for q in queries]


def test_a_kapolsek_opens_on_what_waits_today_in_the_polsek_only(client, area, kapolsek, officer):
    import datetime

    from django.utils import timezone

    from forums.tests.factories import MeetingFactory
    from issues.tests.factories import ProblemFactory
    from issues.workflow import Status
    from officers import services

    now = timezone.now()
    old = now - datetime.timedelta(hours=49)
    ProblemFactory(village=area.village, created_at=old)  # new and overdue
    ProblemFactory(village=area.village_b)  # new, not yet overdue
    ProblemFactory(village=area.village, status=Status.ANALYSIS, created_at=old)  # acted on
    ProblemFactory(village=area.village_elsewhere, created_at=old)  # another Polsek's
    MeetingFactory(forum__village=area.village, scheduled_at=now + datetime.timedelta(days=2))
    MeetingFactory(forum__village=area.village_b, scheduled_at=now + datetime.timedelta(days=9))
    MeetingFactory(
        forum__village=area.village_elsewhere, scheduled_at=now + datetime.timedelta(days=1)
    )
    services.visit_log(actor=officer, village=area.village)
    client.force_login(kapolsek)
    today = client.get(reverse("landing")).context["today"]
    assert (today.overdue, today.new, today.meetings_this_week, today.not_visited) == (1, 2, 1, 1)


@pytest.mark.parametrize("rows", [1, 20])
def test_officer_page_queries_do_not_grow_with_desa(client, area, officer, rows):
    from django.utils import timezone

    from forums.tests.factories import ActionItemFactory, MeetingFactory

    for _ in range(rows):
        village = VillageFactory(polsek=area.polsek, district=area.village.district)
        AssignmentFactory(village=village, officer=officer.officer)
        meeting = MeetingFactory(
            forum__village=village, scheduled_at=timezone.now() + timezone.timedelta(hours=5)
        )
        ActionItemFactory(forum=meeting.forum, meeting__forum=meeting.forum)
    client.force_login(officer)
    client.get(reverse("landing"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("landing"))
    assert response.status_code == 200
    # session, user, assignments with desa, open problems by desa and stage, overdue by desa,
    # last visit by desa, forums covering the desa with their next meeting, further desa of
    # area forums, those meetings, the problems waiting for today and their count by status,
    # open action items (with forum, desa, meeting, owner).
    assert len(queries) == 12, [q["sql"][:70] for q in queries]


@pytest.mark.parametrize("rows", [1, 6, 20])
def test_officer_page_counts_the_problems_today_leaves_out_in_one_query(
    client, area, officer, rows
):
    from issues.tests.factories import ProblemFactory

    for _ in range(rows):
        ProblemFactory(village=area.village)
    client.force_login(officer)
    client.get(reverse("landing"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("landing"))
    assert response.context["todo"]["more_new_problems"] == max(0, rows - 5)
    # session, user, assignments with desa, open problems by desa and stage, overdue by desa,
    # last visit by desa, forums covering the desa (none: the forums' queries stop there), the
    # problems waiting for today, and their count by status (whether or not "Today" is full).
    assert len(queries) == 9, [q["sql"][:70] for q in queries]


def test_the_officers_day_marks_an_action_item_past_its_due_date(client, area, officer):
    import datetime

    from django.utils import timezone

    from forums.tests.factories import ActionItemFactory, HeldMeetingFactory

    today = timezone.localdate()
    meeting = HeldMeetingFactory(forum__village=area.village)
    late = ActionItemFactory(meeting=meeting, due_on=today - datetime.timedelta(days=1))
    ActionItemFactory(meeting=meeting, due_on=today)
    client.force_login(officer)
    page = client.get(reverse("landing")).content.decode()
    items = [item.split("</li>")[0] for item in page.split("Tindak lanjut: ")[1:]]
    assert len(items) == 2
    assert [late.what in item for item in items if "terlambat" in item] == [True]


@pytest.mark.parametrize("rows", [1, 20])
def test_desa_search_queries_do_not_grow(client, area, rows):
    for _ in range(rows):
        VillageFactory(polsek=area.polsek, district=area.village.district, name="Sukamaju")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("territory:village_search"), {"q": "sukamaju"})
    assert response.status_code == 200
    # count, page of desa (with kecamatan, kabupaten, province, Polsek), active assignments.
    assert len(queries) == 3, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("role", "resident_links"),
    [("resident", True), ("officer", False), ("kapolsek", False), ("operator", False)],
)
def test_the_header_menu_holds_the_users_own_pages(client, request, area, role, resident_links):
    # The police's menu leaves out the resident's report link (a report they take down for a
    # resident is filed from the desa's page) and folds behind a button on a phone.
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("landing"), follow=True).content.decode()
    menu = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index("site-nav"))]
    assert (f'href="{reverse("issues:file")}"' in menu) is resident_links
    assert (f'href="{reverse("issues:list")}"' in menu) is not resident_links
    assert ('class="link-button menu-toggle"' in html) is not resident_links
    assert f'href="{reverse("landing")}"' in menu
    # Signed in, a resident follows their reports from their page, not by tracking code.
    assert f'href="{reverse("issues:track_lookup")}"' not in menu


def test_a_visitor_finds_the_report_and_its_tracking_in_the_header(client, db):
    html = client.get(reverse("home")).content.decode()
    menu = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index("site-nav"))]
    for name in ("issues:file", "issues:track_lookup", "account_login", "account_signup"):
        assert f'href="{reverse(name)}"' in menu, name
    assert "menu-toggle" not in html
