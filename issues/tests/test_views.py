import datetime
import io
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from forums.models import MeetingProblem
from forums.tests.factories import ForumFactory, HeldMeetingFactory, MeetingFactory
from issues import services
from issues.models import Category, Feedback, Problem, ProblemEvent, ProblemPhoto
from issues.photos import MAX_PHOTOS
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status
from officers import services as officer_services
from portal.models import AuditEvent
from territory.tests.factories import DistrictFactory, VillageFactory


def jpeg(name="foto.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(area, **extra):
    data = {
        "desa": area.village.code,
        "category": Category.objects.get(code="pencurian").pk,
        "title": "Motor hilang",
        "description": "Motor hilang di depan masjid tadi malam.",
        "location_text": "RT 03 RW 02",
        "consent": "on",
    }
    data.update(extra)
    return data


# --- Filing ------------------------------------------------------------------------------------


def test_the_form_asks_for_the_desa_first(client, db):
    page = client.get(reverse("issues:file")).content.decode()
    assert 'name="q"' in page


def test_the_form_says_an_emergency_needs_110(client, area):
    page = client.get(reverse("issues:file"), {"desa": area.village.code}).content.decode()
    assert "110" in page
    assert "UU" in page or "Undang-Undang" in page or "27" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Up to 3 photos, JPEG"), ("id", "Paling banyak 3 foto, JPEG")],
)
def test_the_photo_help_is_in_the_readers_language(client, area, settings, language, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("issues:file"), {"desa": area.village.code}).content.decode()
    assert expected in page


def test_the_photo_picker_carries_the_limit_and_its_message_for_the_browser(client, area, settings):
    """static/js/photo-shrink.js refuses more photos than the portal takes before they are sent
    over a slow signal: the limit and the message come from here, in the page's language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("issues:file"), {"desa": area.village.code}).content.decode()
    assert f'data-max-photos="{MAX_PHOTOS}"' in page
    assert (
        'data-label-too-many="You chose %(chosen)s photos, but at most 3 can be sent. '
        'No photo is chosen now: please choose again, at most 3."'
    ) in page


def test_the_tracking_pages_photo_picker_has_the_same_limit(client, area):
    problem = ProblemFactory(village=area.village)
    page = client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
    assert f'data-max-photos="{MAX_PHOTOS}"' in page.content.decode()


def test_more_photos_than_the_limit_are_still_refused_by_the_portal(client, area, settings):
    """Without JavaScript, or from a script, the portal's own check still holds."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    photos = [jpeg(f"foto{n}.jpg") for n in range(MAX_PHOTOS + 1)]
    response = client.post(reverse("issues:file"), form_data(area, photos=photos))
    assert response.status_code == 200
    assert f"You can add at most {MAX_PHOTOS} photos." in response.content.decode()
    assert not Problem.objects.exists()


def test_anyone_files_an_anonymous_problem_with_a_photo(client, area):
    response = client.post(
        reverse("issues:file"), form_data(area, photos=[jpeg()], contact_phone="0812 1111 2222")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = Problem.objects.get()
    assert problem.reporter is None
    assert problem.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert problem.reference in page
    code = page.split('class="code">')[2].split("<")[0]
    assert client.get(reverse("issues:track", args=[problem.reference, code])).status_code == 200


def test_the_tracking_code_survives_a_reload_and_the_language_switch(client, area):
    response = client.post(reverse("issues:file"), form_data(area))
    code = client.get(response["Location"]).content.decode().split('class="code">')[2][:11]
    assert code in client.get(response["Location"]).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": response["Location"]})
    page = client.get(response["Location"])
    assert page.status_code == 200 and code in page.content.decode()


def test_the_tracking_code_is_not_shown_again_after_a_few_minutes(client, area):
    response = client.post(reverse("issues:file"), form_data(area))
    client.get(response["Location"])
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert client.get(response["Location"]).status_code == 302


def test_a_forged_image_is_refused_and_nothing_is_filed(client, area):
    fake = SimpleUploadedFile(
        "foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(reverse("issues:file"), form_data(area, photos=[fake]))
    assert response.status_code == 200
    assert "JPEG" in response.content.decode()
    assert not Problem.objects.exists()


def test_filing_without_agreement_is_refused_with_a_message(client, area):
    data = form_data(area)
    del data["consent"]
    response = client.post(reverse("issues:file"), data)
    assert response.status_code == 200
    assert not Problem.objects.exists()


def test_the_honeypot_stops_bots(client, area):
    response = client.post(reverse("issues:file"), form_data(area, website="http://spam"))
    assert response.status_code == 400
    assert not Problem.objects.exists()


def test_filing_too_often_answers_429(client, area):
    for _ in range(10):
        client.post(reverse("issues:file"), form_data(area))
    response = client.post(reverse("issues:file"), form_data(area))
    assert response.status_code == 429
    assert Problem.objects.count() == 10


def test_a_report_sent_with_mistakes_does_not_count_towards_the_limit(client, area):
    for _ in range(12):
        refused = client.post(reverse("issues:file"), form_data(area, title=""))
        assert refused.status_code == 200  # the form again, with its message
    assert client.post(reverse("issues:file"), form_data(area)).status_code == 302


def test_signed_in_residents_are_counted_by_account_not_by_their_shared_address(
    client, area, resident
):
    # Ten anonymous reports from one carrier's address use up the address...
    for _ in range(10):
        client.post(reverse("issues:file"), form_data(area))
    assert client.post(reverse("issues:file"), form_data(area)).status_code == 429
    # ...not the residents signed in behind it, each with their own ten.
    client.force_login(resident)
    assert client.post(reverse("issues:file"), form_data(area)).status_code == 302


def test_a_signed_in_resident_files_in_their_own_desa(client, area, resident):
    client.force_login(resident)
    page = client.get(reverse("issues:file")).content.decode()
    assert area.village.name in page
    response = client.post(reverse("issues:file"), form_data(area, reporter_named="on"))
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.reporter == resident and problem.reporter_named


def test_the_time_it_happened_is_read_in_the_desas_zone(client, db):
    # A desa in Papua (WIT, UTC+9) reported by someone without an account, whose pages are in WIB.
    village = VillageFactory(
        code="91.71.01.1001", district=DistrictFactory(code="91.71.01", regency__code="91.71")
    )
    data = form_data(SimpleNamespace(village=village), occurred_at="2026-03-01T21:30")
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)):
        assert client.post(reverse("issues:file"), data).status_code == 302
    assert Problem.objects.get().occurred_at == datetime.datetime(
        2026, 3, 1, 12, 30, tzinfo=datetime.UTC
    )


def test_a_time_in_the_future_is_refused_with_a_message(client, area):
    data = form_data(area, occurred_at="2026-03-05T08:00")
    with time_machine.travel(datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)):
        response = client.post(reverse("issues:file"), data)
    assert response.status_code == 200
    assert "masa depan" in response.content.decode() or "future" in response.content.decode()
    assert not Problem.objects.exists()


def test_a_map_point_outside_indonesia_is_refused_with_a_message_the_reporter_sees(client, area):
    # "Use my location" in Hong Kong: both numbers are given, both are out of bounds.
    for point in [("22.302711", "114.177216"), ("22.302711", "150.000000")]:
        data = form_data(area, latitude=point[0], longitude=point[1])
        response = client.post(reverse("issues:file"), data)
        page = response.content.decode()
        assert response.status_code == 200
        assert page.count("Indonesia. ") == 1 or page.count("luar Indonesia") == 1, page
        assert "lintang dan bujur" not in page and "latitude and longitude" not in page
    assert not Problem.objects.exists()


def test_a_signed_in_resident_can_choose_another_desa(client, area, resident):
    client.force_login(resident)
    page = client.get(reverse("issues:file"), {"q": ""}).content.decode()
    assert 'name="q"' in page
    page = client.get(reverse("issues:file"), {"q": area.village_b.name}).content.decode()
    assert f"?desa={area.village_b.code}" in page


# --- Privacy -----------------------------------------------------------------------------------


def test_the_public_desa_page_never_shows_a_private_problem_or_a_name(client, area):
    public = ProblemFactory(village=area.village, title="Tawuran pelajar")
    ProblemFactory(village=area.village, title="Rahasia keluarga", is_private=True)
    ProblemFactory(village=area.village, title="Disembunyikan", is_hidden=True)
    page = client.get(reverse("territory:village_detail", args=[area.village.code])).content
    page = page.decode()
    assert public.title in page
    assert "Rahasia keluarga" not in page and "Disembunyikan" not in page
    assert public.contact_name not in page and public.contact_email not in page


def test_the_public_problem_page_shows_no_reporter_and_no_description(client, area):
    problem = ProblemFactory(village=area.village)
    page = client.get(reverse("issues:public", args=[problem.reference])).content.decode()
    assert problem.title in page
    assert problem.contact_name not in page
    assert problem.description not in page


def test_a_private_problem_has_no_public_page(client, area):
    problem = ProblemFactory(village=area.village, is_private=True)
    assert client.get(reverse("issues:public", args=[problem.reference])).status_code == 404


def test_a_resident_cannot_see_another_residents_private_problem(
    client, area, resident, other_resident
):
    theirs = ProblemFactory(village=area.village, reporter=other_resident, is_private=True)
    client.force_login(resident)
    assert client.get(reverse("issues:detail", args=[theirs.reference])).status_code == 404
    assert theirs.title not in client.get(reverse("issues:list")).content.decode()


def test_a_resident_sees_their_own_report(client, area, resident):
    mine = ProblemFactory(village=area.village, reporter=resident, is_private=True)
    client.force_login(resident)
    assert client.get(reverse("issues:detail", args=[mine.reference])).status_code == 200
    assert mine.title in client.get(reverse("issues:list")).content.decode()


@pytest.mark.parametrize("fixture", ["officer_elsewhere", "other_polres_commander"])
def test_police_outside_the_area_get_404(client, area, request, fixture):
    problem = ProblemFactory(village=area.village)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("issues:detail", args=[problem.reference])).status_code == 404
    response = client.post(
        reverse("issues:transition", args=[problem.reference]), {"to_status": Status.VERIFIED}
    )
    assert response.status_code == 404
    problem.refresh_from_db()
    assert problem.status == Status.NEW


def test_the_police_filter_problems_by_a_desa_named_in_part_or_by_its_code(
    client, area, polres_commander
):
    here = ProblemFactory(village=area.village, title="Masalah di desa pertama")
    there = ProblemFactory(village=area.village_b, title="Masalah di desa kedua")
    elsewhere = ProblemFactory(village=area.village_other_polres, title="Masalah di Polres lain")
    client.force_login(polres_commander)

    def listed(desa):
        page = client.get(reverse("issues:list"), {"desa": desa}).content.decode()
        return {p.title for p in (here, there, elsewhere) if p.title in page}

    assert listed("KULON") == {here.title}  # Cileunyi Kulon, not Cileunyi Wetan
    assert listed(area.village_b.code) == {there.title}
    assert listed(area.village_b.code.replace(".", "")) == {there.title}
    # A desa outside the commander's Polres is not found, by name or by code.
    assert listed(area.village_other_polres.name) == set()
    assert listed(area.village_other_polres.code) == set()


@pytest.mark.parametrize("fixture", ["officer", "kapolsek", "polres_commander", "operator"])
def test_the_police_of_the_area_see_the_reporter(client, area, request, fixture):
    problem = ProblemFactory(village=area.village)
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert problem.contact_email in page


def test_a_resident_who_withheld_their_name_is_not_named_to_the_police(
    client, area, resident, officer, operator
):
    problem = ProblemFactory(village=area.village, reporter=resident, reporter_named=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert resident.email not in page and resident.name not in page
    assert "asked the police not to be told their name" in page
    # Operators still see who it is, to stop abuse.
    client.force_login(operator)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert resident.email in page


def test_the_history_does_not_name_a_resident_who_withheld_their_name(
    client, area, resident, officer
):
    # Filed through the form, as a resident does: the "reported" event has the account as actor.
    client.force_login(resident)
    assert client.post(reverse("issues:file"), form_data(area)).status_code == 302
    problem = Problem.objects.get(reporter=resident, reporter_named=False)
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert resident.name not in page and resident.email not in page


def test_at_assessment_the_step_offered_first_resolves_and_the_way_back_comes_after(
    client, area, officer
):
    problem = ProblemFactory(village=area.village, status=Status.ASSESSMENT)
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    options = re.findall(r'<option value="([^"]*)"', page.split('name="to_status"')[1])
    # A select without a selected option submits its first: tapping "save" resolves.
    assert options[:2] == [Status.RESOLVED, Status.RESPONSE]


def test_a_polda_viewer_does_not_see_the_reporter(client, area, polda_viewer):
    problem = ProblemFactory(village=area.village)
    client.force_login(polda_viewer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert problem.contact_email not in page
    assert "issues/status" not in page


def test_a_wrong_tracking_code_gets_404(client, area):
    problem = ProblemFactory(village=area.village)
    assert (
        client.get(reverse("issues:track", args=[problem.reference, "WRONG-CODE1"])).status_code
        == 404
    )
    assert (
        client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE])).status_code
        == 200
    )


# --- Photos ------------------------------------------------------------------------------------


def test_a_form_sent_with_mistakes_lists_them_at_the_top(client, area):
    """On a phone the fields with a mistake may be far down a long form."""
    response = client.post(reverse("issues:file"), form_data(area, title="", photos=[jpeg()]))
    page = response.content.decode()
    summary = page[page.index('id="form-problems"') :].split("</div>")[0]
    assert 'href="#id_title"' in summary
    assert "Foto yang Anda pilih harus dipilih lagi" in summary
    assert not Problem.objects.exists()


def test_the_summary_puts_no_colon_after_a_label_that_ends_in_punctuation(client, area, settings):
    """The consent box's label is a sentence: it read "…and agree.: Please agree…"."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data(area, title="")
    del data["consent"]
    page = client.post(reverse("issues:file"), data).content.decode()
    summary = page[page.index('id="form-problems"') :].split("</div>")[0]
    assert (
        '<a href="#id_consent">I have read how my report is used and agree.</a> '
        "Please agree to how your report is used before sending it."
    ) in summary
    assert '<a href="#id_title">In a few words</a>: This field is required.' in summary


def _problem_with_photo(client, area, **extra):
    client.post(reverse("issues:file"), form_data(area, photos=[jpeg()], **extra))
    client.logout()
    client.cookies.clear()
    problem = Problem.objects.get()
    return problem, problem.photos.get()


def test_a_public_problems_photo_is_served_only_to_the_police_and_the_reporter(
    client, area, officer
):
    """The privacy notice: a public report shows its category, title, status and public notes,
    not its photos."""
    _problem, photo = _problem_with_photo(client, area)
    url = reverse("issues:photo", args=[photo.pk])
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"


def test_a_private_problems_photo_is_never_served_to_outsiders(
    client, area, other_resident, officer_elsewhere, officer
):
    _problem, photo = _problem_with_photo(client, area, wants_private="on")
    urls = [reverse(name, args=[photo.pk]) for name in ("issues:photo", "issues:photo_small")]
    assert [client.get(url).status_code for url in urls] == [404, 404]
    for outsider in (other_resident, officer_elsewhere):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(officer)
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_pages_show_a_small_square_of_the_photo_and_link_the_photo_itself(client, area, officer):
    problem, photo = _problem_with_photo(client, area)
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    small, full = (
        reverse(name, args=[photo.pk]) for name in ("issues:photo_small", "issues:photo")
    )
    assert f'<a href="{full}"><img src="{small}"' in page
    response = client.get(small)
    assert response["Content-Type"] == "image/jpeg"
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert thumbnail.size == (300, 300) and thumbnail.format == "JPEG"
    # A photo stored before thumbnails existed (and not yet given one) is served whole.
    photo.thumbnail = ""
    photo.save()
    response = client.get(small)
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (64, 48)


def test_a_wrong_tracking_code_does_not_open_the_private_photo(client, area):
    problem, photo = _problem_with_photo(client, area, wants_private="on")
    # TRACKING_CODE is the factories' code; this problem's code is random, so this one is wrong.
    client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
    assert client.get(reverse("issues:photo", args=[photo.pk])).status_code == 404


def test_the_tracking_link_opens_the_private_photo(client, area):
    response = client.post(
        reverse("issues:file"), form_data(area, photos=[jpeg()], wants_private="on")
    )
    page = client.get(response["Location"]).content.decode()
    code = page.split('class="code">')[2].split("<")[0]
    problem = Problem.objects.get()
    photo = problem.photos.get()
    client.cookies.clear()  # a new browser, with only the tracking link
    url = reverse("issues:photo", args=[photo.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("issues:track", args=[problem.reference, code])).status_code == 200
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_reports_photo_is_not_on_its_public_page(client, area):
    problem, photo = _problem_with_photo(client, area)
    page = client.get(reverse("issues:public", args=[problem.reference])).content.decode()
    assert problem.title in page
    assert reverse("issues:photo", args=[photo.pk]) not in page
    assert reverse("issues:photo_small", args=[photo.pk]) not in page


def test_photos_added_later_through_the_tracking_link_stay_off_the_public_pages(client, area):
    problem = ProblemFactory(village=area.village)
    client.post(
        reverse("issues:track", args=[problem.reference, TRACKING_CODE]),
        {"action": "information", "info-note": "Foto pelaku", "info-photos": [jpeg()]},
    )
    photo = problem.photos.get()
    url = reverse("issues:photo", args=[photo.pk])
    # The reporter's browser opened the tracking link and still sees it...
    assert client.get(url).status_code == 200
    client.cookies.clear()
    # ...anyone else neither finds it on the public page nor gets it by its address.
    page = client.get(reverse("issues:public", args=[problem.reference])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 404


def test_a_later_photo_of_a_public_problem_is_served_to_the_police_of_the_area(
    client, area, officer, officer_elsewhere
):
    problem = ProblemFactory(village=area.village)
    ProblemPhoto.objects.create(problem=problem, image=jpeg(), uploaded_by_reporter=True)
    url = reverse("issues:photo", args=[problem.photos.get().pk])
    client.force_login(officer_elsewhere)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


# --- Always-private categories ---------------------------------------------------------------


def test_an_always_private_problem_marked_public_stays_off_every_public_page(client, area):
    kdrt = Category.objects.get(code="kdrt")
    problem = ProblemFactory(village=area.village, category=kdrt, title="Rumah nomor 5")
    photo = ProblemPhoto.objects.create(problem=problem, image=jpeg(), is_public=True)
    desa = client.get(reverse("territory:village_detail", args=[area.village.code]))
    assert problem.title not in desa.content.decode()
    assert client.get(reverse("issues:public", args=[problem.reference])).status_code == 404
    assert client.get(reverse("issues:photo", args=[photo.pk])).status_code == 404


def test_an_always_private_problem_cannot_be_made_public(area):
    problem = ProblemFactory(
        village=area.village, category=Category.objects.get(code="kdrt"), is_private=True
    )
    problem.is_private = False
    with pytest.raises(ValidationError) as caught:
        problem.full_clean()
    assert "is_private" in caught.value.message_dict


def test_the_admin_refuses_to_make_an_always_private_problem_public(client, area, operator):
    problem = ProblemFactory(
        village=area.village, category=Category.objects.get(code="kdrt"), is_private=True
    )
    operator.is_superuser = True
    operator.save()
    client.force_login(operator)
    url = reverse("admin:issues_problem_change", args=[problem.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "village": problem.village_id,
            "category": problem.category_id,
            "vulnerable_groups": "[]",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "is_private": "",
        }
    )
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with only this error
    assert list(response.context["adminform"].form.errors) == ["is_private"]
    problem.refresh_from_db()
    assert problem.is_private


def test_the_admin_does_not_show_the_tracking_codes_hash(client, area, operator):
    problem = ProblemFactory(village=area.village)
    client.force_login(operator)
    page = client.get(reverse("admin:issues_problem_change", args=[problem.pk]))
    assert page.status_code == 200
    assert problem.tracking_code_hash not in page.content.decode()
    # Nor does it let the SARA cycle's fields be edited past the officers' pages and the audit.
    form = page.context["adminform"].form
    assert not {"assigned_to", "duplicate_of", "referred_to", "resolution"} & set(form.fields)


def test_a_comment_is_hidden_only_through_the_recorded_action_never_edited_or_deleted(
    client, area, operator
):
    problem = ProblemFactory(village=area.village)
    comment = problem.events.create(kind="comment", note="kasar", is_public=True)
    client.force_login(operator)
    url = reverse("admin:issues_problemevent_change", args=[comment.pk])
    assert "is_hidden" not in client.get(url).context["adminform"].form.fields
    client.post(url, {"is_hidden": "on"})
    delete = client.post(
        reverse("admin:issues_problemevent_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.MODERATED).exists()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("admin:issues_problemevent_changelist"),
        {"action": "hide", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "1 comment hidden." in response.content.decode()  # the operator is told
    comment.refresh_from_db()
    assert comment.is_hidden
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MODERATED).count() == 1
    response = client.post(
        reverse("admin:issues_problem_changelist"),
        {"action": "hide", "_selected_action": [problem.pk]},
        follow=True,
    )
    assert "1 problem hidden: only operators see it now." in response.content.decode()
    # Hiding it again changes nothing, records nothing, and says so.
    response = client.post(
        reverse("admin:issues_problem_changelist"),
        {"action": "hide", "_selected_action": [problem.pk]},
        follow=True,
    )
    assert "0 problems hidden" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MODERATED).count() == 2


# --- Work ------------------------------------------------------------------------------------


def test_an_officer_moves_a_problem_from_the_page(client, area, officer):
    problem = ProblemFactory(village=area.village)
    client.force_login(officer)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.VERIFIED, "note": "Dicek", "is_public": "on"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.VERIFIED


def test_an_invalid_step_from_the_page_is_refused_with_a_message(client, area, officer):
    problem = ProblemFactory(village=area.village)
    client.force_login(officer)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.REJECTED, "note": ""},
    )
    assert response.status_code == 400
    assert "alasan" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == Status.NEW


def test_an_unknown_duplicate_reference_is_named_as_unknown(client, area, officer):
    problem = ProblemFactory(village=area.village)
    client.force_login(officer)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.DUPLICATE, "duplicate_of": "KMT-2026-999999"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tidak ada masalah dengan nomor itu di wilayah Anda." in page
    assert "Berikan nomor laporan masalah aslinya." not in page
    problem.refresh_from_db()
    assert problem.status == Status.NEW


def test_the_reporter_confirms_through_the_tracking_link(client, area, officer):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    assert "Apakah masalahnya sudah selesai?" in client.get(url).content.decode()
    response = client.post(
        url, {"action": "feedback", "feedback-solved": "yes", "feedback-rating": "5"}
    )
    assert response.status_code == 302
    assert problem.feedback.get().solved is True


def _answered(problem, *, solved, rating=None, comment=""):
    """The reporter answers "Is the problem solved?" on the problem, resolved a moment ago."""
    Problem.objects.filter(pk=problem.pk).update(status=Status.RESOLVED, resolved_at=timezone.now())
    problem.refresh_from_db()
    services.problem_feedback(problem=problem, solved=solved, rating=rating, comment=comment)


def _history(page: str) -> str:
    return page[page.index('<ol class="timeline">') :].split("</ol>")[0]


@pytest.mark.parametrize("fixture", ["officer", "kapolsek"])
def test_the_problem_page_shows_whether_the_reporter_found_it_solved_not_their_rating(
    client, area, settings, request, fixture
):
    """One reporter's mark of the officer who served them stays with the reporter: the police
    read the ratings summed in the indicators."""
    problem = ProblemFactory(village=area.village)
    _answered(problem, solved=True, rating=4, comment="Cepat, terima kasih")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    history = _history(page)
    assert "<p>Solved: yes</p>" in history
    assert "Cepat, terima kasih" in history
    assert "Service rating" not in page and "4 out of 5" not in page


def test_the_tracking_page_shows_each_answer_with_its_own_rating(client, area, settings):
    """A "no" reopens the problem; once it is resolved again the reporter answers again."""
    problem = ProblemFactory(village=area.village)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)):
        _answered(problem, solved=False, rating=2)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)):
        _answered(problem, solved=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    history = _history(client.get(url).content.decode())
    first = history.index("<p>Solved: no · Service rating: 2 out of 5</p>")
    assert history.index("<p>Solved: yes</p>") > first  # no rating given the second time
    assert history.count("Service rating") == 1


def test_the_reporters_answer_stays_off_the_public_page(client, area):
    problem = ProblemFactory(village=area.village)
    _answered(problem, solved=True, rating=5, comment="Mantap")
    page = client.get(reverse("issues:public", args=[problem.reference])).content.decode()
    assert problem.title in page
    assert "Mantap" not in page and "5 dari 5" not in page and "5 out of 5" not in page


@pytest.mark.parametrize("answers", [1, 10])
def test_the_problem_pages_cost_the_same_queries_for_1_and_10_answers(
    client, area, officer, answers
):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    for number in range(answers):
        answer = Feedback.objects.create(problem=problem, solved=False, rating=1 + number % 5)
        ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.FEEDBACK,
            by_reporter=True,
            to_status=Status.REOPENED,
            created_at=answer.created_at,
        )
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    client.get(url)  # the first visit remembers the problem in a new session
    tracking = _queries(client, url)
    # The tracking page: session, the problem (desa, category, duplicate), its events with each
    # answer's rating (one query), its photos, is an answer awaited.
    assert len(tracking) == 5, tracking
    client.force_login(officer)
    detail = _queries(client, reverse("issues:detail", args=[problem.reference]))
    # The problem page: session, user, the problem (joined), its events with each answer's
    # rating (one query), its photos, may the officer work on it, may they see the reporter, the
    # audit of the reporter shown, the meetings and visits that followed, the officers to assign.
    assert len(detail) == 11, detail


def test_the_tracking_pages_download_says_what_a_villager_gets(client, area, settings):
    problem = ProblemFactory(village=area.village)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
    download = reverse("issues:track_data", args=[problem.reference, TRACKING_CODE])
    button = page.content.decode().split(f'href="{download}" download>')[1].split("</a>")[0]
    assert button == "Download a copy of this report's data"
    assert "One file in JSON format, for computer programs" in page.content.decode()


def test_the_tracking_page_shows_when_it_happened_and_who_is_affected(client, area):
    problem = ProblemFactory(
        village=area.village,
        occurred_at=datetime.datetime(2026, 3, 2, 21, 30, tzinfo=datetime.UTC),
        vulnerable_groups=["children", "elderly"],
    )
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    page = client.get(url).content.decode()
    assert "Waktu kejadian" in page and "3 Mar 2026 04:30" in page  # WIB, UTC+7
    assert "Anak-anak, Lansia" in page


def test_the_reporter_adds_information_through_the_tracking_link(client, area, officer):
    problem = ProblemFactory(village=area.village)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    client.post(
        url,
        {
            "action": "information",
            "info-note": "Pelaku memakai jaket hijau",
            "info-photos": [jpeg()],
        },
    )
    assert problem.events.filter(kind="information").exists()
    assert problem.photos.count() == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_the_problem_list_queries_do_not_grow(client, area, polres_commander, officer, rows):
    for _ in range(rows):
        ProblemFactory(village=area.village, assigned_to=officer.officer)
    client.force_login(polres_commander)
    client.get(reverse("issues:list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("issues:list"), {"status": "open"})
    assert response.status_code == 200
    # session, user, categories of the filter, count, page of problems (joined with desa,
    # kecamatan, category, officer and the officer's user).
    assert len(queries) == 5, [q["sql"][:120] for q in queries]


def test_the_officer_is_mailed_when_a_problem_is_filed(
    client, area, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("issues:file"), form_data(area))
    assert any(officer.email in m.to for m in mail.outbox)


def forged_image() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "foto.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )


def test_a_forged_image_on_an_officers_note_is_refused_and_nothing_is_saved(client, area, officer):
    problem = ProblemFactory(village=area.village)
    client.force_login(officer)
    response = client.post(
        reverse("issues:comment", args=[problem.reference]),
        {"note": "Foto lokasi", "photos": [forged_image()]},
    )
    assert response.status_code == 400
    assert "foto.jpg bukan foto JPEG, PNG atau WebP." in response.content.decode()
    assert not problem.events.filter(kind="comment").exists()
    assert not problem.photos.exists()


def test_a_forged_image_added_through_the_tracking_link_is_refused_and_nothing_is_saved(
    client, area
):
    problem = ProblemFactory(village=area.village)
    response = client.post(
        reverse("issues:track", args=[problem.reference, TRACKING_CODE]),
        {"action": "information", "info-note": "Foto pelaku", "info-photos": [forged_image()]},
    )
    assert response.status_code == 400
    assert "foto.jpg bukan foto JPEG, PNG atau WebP." in response.content.decode()
    assert not problem.events.filter(kind="information").exists()
    assert not problem.photos.exists()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries]


@pytest.mark.parametrize("rows", [1, 20])
def test_the_public_desa_page_costs_the_same_queries_for_1_and_20_problems(
    client, area, officer, rows
):
    for _ in range(rows):
        problem = ProblemFactory(village=area.village, assigned_to=officer.officer)
        ProblemPhoto.objects.create(problem=problem, image=jpeg(), is_public=True)
        problem.events.create(kind="comment", note="Dicek", is_public=True)
    queries = _queries(client, reverse("territory:village_detail", args=[area.village.code]))
    # The desa (with kecamatan, kabupaten, province, Polsek), its officers' assignments, the
    # count of public problems, the forums, the page of problems (joined with category, desa
    # and the assigned officer's user), their public notes, their public photos. No session:
    # the visitor is anonymous.
    assert len(queries) == 7, queries


@pytest.mark.parametrize("rows", [1, 20])
def test_the_residents_own_list_costs_the_same_queries_for_1_and_20_reports(
    client, area, officer, resident, rows
):
    for _ in range(rows):
        ProblemFactory(village=area.village, reporter=resident, assigned_to=officer.officer)
    client.force_login(resident)
    queries = _queries(client, reverse("issues:list"))
    # Session, user, count of the resident's reports, the page of reports (joined with desa,
    # kecamatan, category, the assigned officer and their user).
    assert len(queries) == 4, queries


def test_the_problem_page_shows_the_forum_meetings_and_visits_that_followed_it(
    client, area, officer
):
    problem = ProblemFactory(village=area.village)
    meeting = HeldMeetingFactory(forum=ForumFactory(village=area.village, name="FKPM Cileunyi"))
    cancelled = MeetingFactory(forum=meeting.forum, status="cancelled")
    for discussed_at, note in [
        (meeting, "Disepakati patroli malam Minggu"),
        (cancelled, "Rencana yang batal"),
    ]:
        MeetingProblem.objects.create(
            meeting=discussed_at,
            problem=problem,
            kind=MeetingProblem.Kind.DISCUSSED,
            status_at_meeting=problem.status,
            note=note,
        )
    officer_services.visit_log(actor=officer, village=area.village, problems=[problem])
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    section = page.split('id="follow-up-heading"')[1].split("</section>")[0]
    assert "FKPM Cileunyi: Dibahas" in section
    assert "Disepakati patroli malam Minggu" in section
    assert officer.name in section
    assert "Rencana yang batal" not in section  # a meeting that never took place
