import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from metrics.models import RecomputeRequest, SurveyResponse
from metrics.survey import next_quarter_start, quarter_start
from metrics.views.survey import SURVEY_PER_IP
from territory.tests.factories import DistrictFactory, RegencyFactory, VillageFactory

# 15:00 WIB on 20 February 2026: the first quarter in every zone.
FEBRUARY = datetime.datetime(2026, 2, 20, 8, 0, tzinfo=datetime.UTC)
# The third quarter: the next one starts in October ("Okt" in Indonesian).
AUGUST = datetime.datetime(2026, 8, 12, 8, 0, tzinfo=datetime.UTC)
ANSWERS = {"trust": "4", "satisfaction": "5", "safe_at_night": "2", "knows_forum": "1"}


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The pages in English (the visitor's choice, kept in the language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def url(area):
    return reverse("metrics_data:survey", args=[area.village.code])


def send(client, url, **extra):
    return client.post(url, {**ANSWERS, **extra})


def test_the_desa_page_links_to_its_survey(client, area, url):
    page = client.get(reverse("territory:village_detail", args=[area.village.code]))
    assert url in page.content.decode()


def test_the_survey_asks_four_questions_as_radio_groups(client, area, url):
    page = client.get(url).content.decode()
    assert page.count("<fieldset") == 4 and page.count("<legend>") == 4
    assert page.count('type="radio"') == 20
    assert "I trust the police" in page
    assert 'name="contact"' in page and 'name="website"' in page


def test_a_resident_answers_once_and_the_desa_is_queued_for_a_recompute(
    client, area, url, resident
):
    client.force_login(resident)
    with time_machine.travel(FEBRUARY, tick=False):
        response = send(client, url)
    assert response.status_code == 302
    assert response.url == reverse("metrics_data:survey_thanks", args=[area.village.code])
    answer = SurveyResponse.objects.get()
    assert (answer.village, answer.quarter) == (area.village, datetime.date(2026, 1, 1))
    assert (answer.trust, answer.satisfaction, answer.safe_at_night, answer.knows_forum) == (
        4,
        5,
        2,
        1,
    )
    assert len(answer.respondent_key) == 64 and str(resident.pk) != answer.respondent_key
    # The quarter's first month holds its survey figures.
    assert list(RecomputeRequest.objects.values_list("village", "month")) == [
        (area.village.pk, datetime.date(2026, 1, 1))
    ]


def test_a_resident_cannot_answer_twice_in_a_quarter(client, area, url, resident):
    client.force_login(resident)
    with time_machine.travel(FEBRUARY, tick=False):
        send(client, url)
        again = send(client, url, trust="1")
        page = client.get(url).content.decode()
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    # Dates as the portal's pages write them, not Django's "April 1, 2026" / "1 Apr. 2026".
    assert "You can answer again from 1 Apr 2026." in again.content.decode()
    assert list(SurveyResponse.objects.values_list("trust", flat=True)) == [4]
    # Coming back shows the message instead of the form.
    assert "already answered" in page and 'type="radio"' not in page


def test_the_next_quarter_is_dated_in_indonesian_as_on_other_pages(client, area, url, resident):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.force_login(resident)
    with time_machine.travel(AUGUST, tick=False):
        send(client, url)
        page = client.get(url).content.decode()
    assert "Anda dapat menjawab lagi mulai 1 Okt 2026." in page
    assert "Okt." not in page  # Django's DATE_FORMAT, "1 Okt. 2026"


def test_one_answer_per_quarter_holds_across_desa(client, area, resident):
    client.force_login(resident)
    with time_machine.travel(FEBRUARY, tick=False):
        send(client, reverse("metrics_data:survey", args=[area.village.code]))
        other = send(client, reverse("metrics_data:survey", args=[area.village_b.code]))
    assert other.status_code == 409 and SurveyResponse.objects.count() == 1


def test_an_anonymous_person_answers_once_per_phone_number(client, area, url):
    with time_machine.travel(FEBRUARY, tick=False):
        first = send(client, url, contact="0812-3456-7890")
        second = send(client, url, contact="+62 812 3456 7890", trust="1")
    assert first.status_code == 302
    assert second.status_code == 409 and "already answered" in second.content.decode()
    answer = SurveyResponse.objects.get()
    assert answer.trust == 4
    # The number itself is kept nowhere in the row.
    stored = " ".join(str(getattr(answer, f.attname)) for f in SurveyResponse._meta.fields)
    assert "3456" not in stored and "812" not in stored


def test_a_different_contact_is_a_different_person(client, area, url):
    with time_machine.travel(FEBRUARY, tick=False):
        send(client, url, contact="0812-3456-7890")
        send(client, url, contact="Warga@Example.org")
        third = send(client, url, contact="warga@example.org")
    assert third.status_code == 409
    assert SurveyResponse.objects.count() == 2


def test_the_next_quarter_may_be_answered_again(client, area, url, resident):
    client.force_login(resident)
    with time_machine.travel(FEBRUARY, tick=False):
        send(client, url)
    with time_machine.travel(FEBRUARY + datetime.timedelta(days=45), tick=False):
        page = client.get(url).content.decode()
        response = send(client, url)
    assert 'type="radio"' in page
    assert response.status_code == 302
    assert sorted(SurveyResponse.objects.values_list("quarter", flat=True)) == [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 1),
    ]


def test_the_quarter_follows_the_desas_time_zone(client, area):
    papua = VillageFactory(
        code="91.01.01.2001",
        district=DistrictFactory(code="91.01.01", regency=RegencyFactory(code="91.01")),
    )
    url = reverse("metrics_data:survey", args=[papua.code])
    # 31 March 20:00 UTC is already 1 April 05:00 in WIT.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 20, 0, tzinfo=datetime.UTC)):
        send(client, url, contact="081234567890")
    assert SurveyResponse.objects.get().quarter == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trust": ""}, "Choose one answer."),
        ({"knows_forum": "7"}, "Select a valid choice."),
        ({"contact": ""}, "This field is required."),
        ({"contact": "12ab"}, "Give a phone number"),
        ({"contact": "warga@"}, "is not an e-mail address"),
    ],
)
def test_bad_input_shows_a_message_and_changes_nothing(client, area, url, change, message):
    data = {"contact": "081234567890", **change}
    response = send(client, url, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyResponse.objects.exists() and not RecomputeRequest.objects.exists()


def test_the_honeypot_stops_bots(client, area, url):
    response = send(client, url, contact="081234567890", website="http://spam.example")
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_answers_from_one_address_are_rate_limited(client, area, url):
    limit = SURVEY_PER_IP[0]
    for n in range(limit):
        send(client, url, contact=f"08120000{n:04d}")
    response = send(client, url, contact="081299999999")
    assert response.status_code == 429
    assert SurveyResponse.objects.count() == limit


@pytest.mark.parametrize("fixture", ["officer", "kapolsek", "operator"])
def test_police_and_operators_do_not_answer(client, area, url, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(url)
    assert page.status_code == 200 and 'type="radio"' not in page.content.decode()
    assert send(client, url).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_an_unknown_desa_has_no_survey(client, area):
    assert client.get(reverse("metrics_data:survey", args=["99.99.99.9999"])).status_code == 404


def test_the_thank_you_page_leads_back_to_the_desa(client, area):
    page = client.get(reverse("metrics_data:survey_thanks", args=[area.village.code]))
    assert reverse("territory:village_detail", args=[area.village.code]) in page.content.decode()


@pytest.mark.parametrize(
    ("day", "start", "following"),
    [
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),
        (datetime.date(2026, 6, 30), datetime.date(2026, 4, 1), datetime.date(2026, 7, 1)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
    ],
)
def test_quarters(day, start, following):
    assert quarter_start(day) == start
    assert next_quarter_start(day) == following


def test_the_admin_shows_answers_without_the_respondent_key(client, area, url, operator):
    send(client, url, contact="081234567890")
    answer = SurveyResponse.objects.get()
    client.force_login(operator)
    listing = client.get(reverse("admin:metrics_surveyresponse_changelist"))
    detail = client.get(reverse("admin:metrics_surveyresponse_change", args=[answer.pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        assert answer.respondent_key not in page.content.decode()
    assert client.get(reverse("admin:metrics_surveyresponse_add")).status_code == 403
