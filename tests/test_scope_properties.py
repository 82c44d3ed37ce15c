"""Property-based scope tests (issue 9, point 4): hypothesis draws a user of any role and a
small world of records in the conftest `area`, and every channel — pages, API, exports, the
desa's public page, Open311 and the photo URL — must grant exactly what an oracle written here
from the rules says, and never show a record's title or reporter to someone outside its
readers.

The oracle does not call `portal.scope` or any selector: it knows the fixture's territory by
name (the conftest docstring) and applies the rules of README.md "Who lands where" and of the
`portal/scope.py` docstring:

- resident: their own desa; among problems, only their own reports (not hidden);
- Bhabinkamtibmas: the desa of their *active* assignments;
- Kapolsek: the desa of their Polsek; Polres commander and staff: the desa of the Polsek under
  their Polres; Polda viewer: the desa under their Polda (to read);
- operator: everything, hidden problems included;
- a public problem (not private, not hidden, not of an always-private category) is readable by
  anyone; a hidden one by operators only.

Each example runs inside a transaction rolled back at its end, so examples do not pile up; the
photo files, which a rollback cannot remove, are deleted by hand.
"""

import datetime
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from forums.tests.factories import ForumFactory, HeldMeetingFactory
from issues.models import Category, ProblemPhoto
from issues.tests.factories import ProblemFactory
from officers.models import Visit
from officers.tests.factories import AssignmentFactory, OfficerFactory

Role = User.Role

# --- The territory, as the conftest docstring describes it --------------------------------------
# Desa by index: 0 `village` and 1 `village_b` in `polsek`, 2 `village_elsewhere` in
# `polsek_other` (same Polres), 3 `village_other_polres` in the city's Polsek under `polres_other`.
DESA = ["village", "village_b", "village_elsewhere", "village_other_polres"]
DESA_POLSEK = {0: "polsek", 1: "polsek", 2: "polsek_other", 3: "polsek_city"}
POLSEK_POLRES = {"polsek": "polres", "polsek_other": "polres", "polsek_city": "polres_other"}
UNITS_OF_KIND = {
    "polsek": ["polsek", "polsek_other", "polsek_city"],
    "polres": ["polres", "polres_other"],
    "polda": ["polda"],
}
UNIT_KIND = {name: kind for kind, names in UNITS_OF_KIND.items() for name in names}
# Roles that see a reporter's identity in their area; Polda viewers read, they do not work.
REPORTER_ROLES = {Role.OFFICER, Role.KAPOLSEK, Role.POLRES_COMMANDER, Role.POLRES_STAFF}
DASHBOARD_ROLES = {
    Role.KAPOLSEK,
    Role.POLRES_COMMANDER,
    Role.POLRES_STAFF,
    Role.POLDA_VIEWER,
    Role.OPERATOR,
}
POLICE_ROLES = set(User.UNIT_KIND)
SECRET_MINUTES = "Notulen rahasia: saksi melihat transaksi"
SECRET_VISIT = "Catatan kunjungan rahasia"
NEIGHBOURS = ["neighbour0", "neighbour1"]


# --- What hypothesis draws ------------------------------------------------------------------------
@dataclass(frozen=True)
class UserSpec:
    role: str | None  # None: anonymous
    unit: str | None = None  # police: a unit name of the kind their role belongs to
    desa: int | None = None  # residents: their home desa
    assignments: tuple[tuple[int, bool], ...] = ()  # officers: (desa, active)


@dataclass(frozen=True)
class ProblemSpec:
    desa: int
    private: bool
    hidden: bool
    sensitive: bool  # of an always-private category (KDRT): then private too, as clean() wants
    reporter: str  # "anonymous", "viewer" (the drawn resident) or a neighbour
    photo: str | None  # None, "public" (filed publicly) or "police" (added later)
    # "The officer may know my name": unticked, a signed-in resident is named to operators only.
    named: bool = True


@dataclass(frozen=True)
class WorldSpec:
    user: UserSpec
    neighbour_desa: tuple[int, int]
    problems: tuple[ProblemSpec, ...]
    list_desa: int | None  # the desa filter of the officers' list and of the API list
    page_desa: int  # whose public page and desa export are asked for
    unit: str  # whose unit-level export is asked for
    table: str  # "indikator" or "wilayah"


@dataclass(frozen=True)
class PartnershipSpec:
    user: UserSpec
    forum_desa: int
    forum_public: bool
    minutes_internal: bool
    visit_desa: int
    visit_by_viewer: bool  # an officer's own visit, else a colleague's


desa_indices = st.integers(min_value=0, max_value=len(DESA) - 1)


@st.composite
def user_specs(draw) -> UserSpec:
    role = draw(st.sampled_from([None, *Role.values]))
    if role == Role.RESIDENT:
        return UserSpec(role=role, desa=draw(st.none() | desa_indices))
    if role in POLICE_ROLES:
        unit = draw(st.sampled_from(UNITS_OF_KIND[User.UNIT_KIND[role]]))
        assignments = ()
        if role == Role.OFFICER:
            assignments = tuple(
                draw(
                    st.lists(
                        st.tuples(desa_indices, st.booleans()),
                        max_size=3,
                        unique_by=lambda a: a[0],
                    )
                )
            )
        return UserSpec(role=role, unit=unit, assignments=assignments)
    return UserSpec(role=role)


@st.composite
def world_specs(draw) -> WorldSpec:
    user = draw(user_specs())
    reporters = ["anonymous", *NEIGHBOURS] + (["viewer"] if user.role == Role.RESIDENT else [])
    problem = st.builds(
        ProblemSpec,
        desa=desa_indices,
        private=st.booleans(),
        hidden=st.booleans(),
        sensitive=st.booleans(),
        reporter=st.sampled_from(reporters),
        photo=st.sampled_from([None, "public", "police"]),
        named=st.booleans(),
    )
    return WorldSpec(
        user=user,
        neighbour_desa=draw(st.tuples(desa_indices, desa_indices)),
        problems=tuple(draw(st.lists(problem, min_size=1, max_size=6))),
        list_desa=draw(st.none() | desa_indices),
        page_desa=draw(desa_indices),
        unit=draw(st.sampled_from(sorted(UNIT_KIND))),
        table=draw(st.sampled_from(["indikator", "wilayah"])),
    )


partnership_specs = st.builds(
    PartnershipSpec,
    user=user_specs(),
    forum_desa=desa_indices,
    forum_public=st.booleans(),
    minutes_internal=st.booleans(),
    visit_desa=desa_indices,
    visit_by_viewer=st.booleans(),
)


# --- The oracle -----------------------------------------------------------------------------------
def scope(user: UserSpec) -> set[int]:
    """The desa whose non-public records the user reads."""
    everything = set(range(len(DESA)))
    if user.role == Role.OPERATOR:
        return everything
    if user.role == Role.RESIDENT:
        return {user.desa} if user.desa is not None else set()
    if user.role == Role.OFFICER:
        return {desa for desa, active in user.assignments if active}
    if user.role == Role.KAPOLSEK:
        return {d for d in everything if DESA_POLSEK[d] == user.unit}
    if user.role in (Role.POLRES_COMMANDER, Role.POLRES_STAFF):
        return {d for d in everything if POLSEK_POLRES[DESA_POLSEK[d]] == user.unit}
    if user.role == Role.POLDA_VIEWER:
        return everything  # the area holds one Polda
    return set()


def is_public(p: ProblemSpec) -> bool:
    return not (p.private or p.sensitive or p.hidden)


def opens(user: UserSpec, p: ProblemSpec) -> bool:
    """The problem's own record: the detail page, the reporter's page, the full API record."""
    if user.role == Role.OPERATOR:
        return True
    if user.role == Role.RESIDENT:
        return p.reporter == "viewer" and not p.hidden
    if user.role in POLICE_ROLES:
        return p.desa in scope(user) and not p.hidden
    return False


def reads(user: UserSpec, p: ProblemSpec) -> bool:
    return is_public(p) or opens(user, p)


def sees_reporter(user: UserSpec, p: ProblemSpec) -> bool:
    """Whoever reported it, and the contact given: the police who work the desa, operators and
    the reporter themself."""
    if user.role == Role.OPERATOR or (user.role == Role.RESIDENT and p.reporter == "viewer"):
        return True
    withheld = p.reporter != "anonymous" and not p.named  # a resident's account, name withheld
    return user.role in REPORTER_ROLES and p.desa in scope(user) and not p.hidden and not withheld


def sees_photo(user: UserSpec, p: ProblemSpec) -> bool:
    return (p.photo == "public" and is_public(p)) or opens(user, p)


def api_lists(user: UserSpec, p: ProblemSpec) -> bool:
    """The police and operators list their area; everyone else the public problems and their
    own reports."""
    if user.role == Role.OPERATOR:
        return True
    if user.role in POLICE_ROLES:
        return p.desa in scope(user) and not p.hidden
    return reads(user, p)


def officers_list_shows(user: UserSpec, p: ProblemSpec, desa: int | None) -> bool:
    if user.role == Role.RESIDENT:  # their own reports; the filter is not theirs
        return opens(user, p)
    if desa is not None and (desa not in scope(user) or p.desa != desa):
        return False
    return opens(user, p)


def units_read(user: UserSpec) -> set[str]:
    """The police units whose dashboards the user opens: their own and those below."""
    if user.role == Role.OPERATOR:
        return set(UNIT_KIND)
    if user.role not in DASHBOARD_ROLES:
        return set()
    return {
        name
        for name in UNIT_KIND
        if name == user.unit
        or POLSEK_POLRES.get(name) == user.unit
        or UNIT_KIND[user.unit] == "polda"
    }


def reads_forum(user: UserSpec, desa: int) -> bool:
    return user.role == Role.OPERATOR or (user.role in POLICE_ROLES and desa in scope(user))


def sees_visit(user: UserSpec, spec: PartnershipSpec) -> bool:
    if user.role == Role.OFFICER:
        return spec.visit_by_viewer
    if user.role == Role.OPERATOR or user.role in POLICE_ROLES:
        return spec.visit_desa in scope(user)
    return False


# --- Building a drawn world -----------------------------------------------------------------------
class _Rollback(Exception):
    """Raised at the end of an example to undo everything it wrote."""


@contextmanager
def rolled_back() -> Iterator[None]:
    cache.clear()  # rate limits and API throttles count per example
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def territory(area) -> dict:
    units = {
        name: getattr(area, name) for name in ("polda", "polres", "polres_other", "polsek")
    } | {"polsek_other": area.polsek_other, "polsek_city": area.village_other_polres.polsek}
    return {"desa": [getattr(area, name) for name in DESA], "units": units}


def make_user(spec: UserSpec, land: dict) -> User | None:
    if spec.role is None:
        return None
    if spec.role in POLICE_ROLES:
        user = OfficerFactory(user__role=spec.role, unit=land["units"][spec.unit]).user
        today = timezone.localdate()
        for desa, active in spec.assignments:
            AssignmentFactory(
                officer=user.officer,
                village=land["desa"][desa],
                is_primary=False,
                starts_on=today - datetime.timedelta(days=400 if not active else 30),
                ends_on=None if active else today - datetime.timedelta(days=1),
            )
        return user
    village = land["desa"][spec.desa] if spec.desa is not None else None
    return UserFactory(role=spec.role, village=village, is_staff=spec.role == Role.OPERATOR)


def _jpeg(name: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


@dataclass
class Built:
    user: User | None
    problems: list  # (spec, problem, photo or None)
    neighbours: dict
    files: list = field(default_factory=list)


def build_world(spec: WorldSpec, land: dict) -> Built:
    user = make_user(spec.user, land)
    neighbours = {
        name: UserFactory(
            email=f"{name}@rahasia.example", name=f"Tetangga {name[-1]} Rahasia", village=desa
        )
        for name, desa in zip(
            NEIGHBOURS, [land["desa"][d] for d in spec.neighbour_desa], strict=True
        )
    }
    ordinary = Category.objects.get(code="pencurian")
    sensitive = Category.objects.filter(always_private=True).first()
    built = Built(user=user, problems=[], neighbours=neighbours)
    for index, p in enumerate(spec.problems):
        reporter = {"anonymous": None, "viewer": user, **neighbours}[p.reporter]
        problem = ProblemFactory(
            village=land["desa"][p.desa],
            category=sensitive if p.sensitive else ordinary,
            is_private=p.private or p.sensitive,
            is_hidden=p.hidden,
            reporter=reporter,
            reporter_named=p.named,
            title=f"Judul rahasia P{index}",
            contact_name=f"Kontak Rahasia P{index}",
            contact_phone=f"0812-555-000{index}",
            contact_email=f"kontak.p{index}@rahasia.example",
        )
        photo = None
        if p.photo is not None:
            photo = ProblemPhoto.objects.create(
                problem=problem, image=_jpeg(f"p{index}.jpg"), is_public=p.photo == "public"
            )
            built.files.append(photo.image)
        built.problems.append((p, problem, photo))
    return built


def remove_files(files) -> None:
    for file in files:
        file.storage.delete(file.name)


def clients(user: User | None) -> tuple[Client, APIClient]:
    """A browser signed in by session, and an API client holding the user's token."""
    browser, api = Client(), APIClient()
    if user is not None:
        browser.force_login(user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return browser, api


def is_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def body(response) -> str:
    if response.streaming:
        return ""
    return response.content.decode("utf-8", errors="replace")


def refused(user: UserSpec) -> str:
    """How a page that needs an account refuses: sign-in for anonymous users, 404 otherwise."""
    return "login" if user.role is None else 404


def outcome(response):
    return "login" if is_sign_in(response) else response.status_code


# --- Problems through every channel ---------------------------------------------------------------
def check_problem(browser, api, user: UserSpec, p: ProblemSpec, problem, photo) -> list:
    """One problem through its detail page, public page, API record, Open311 record and photo.
    Returns the responses, for the leak check."""
    ref = problem.reference
    detail = browser.get(reverse("issues:detail", args=[ref]))
    assert outcome(detail) == (200 if opens(user, p) else refused(user)), ("detail", p)
    public = browser.get(reverse("issues:public", args=[ref]))
    assert public.status_code == (200 if is_public(p) else 404), ("public page", p)
    record = api.get(reverse("api:problem-detail", args=[ref]))
    assert record.status_code == (200 if reads(user, p) else 404), ("API record", p)
    if record.status_code == 200:
        shown = record.json()["reporter"] is not None
        expected = sees_reporter(user, p) and user.role != Role.RESIDENT
        assert shown == expected, ("API reporter", p)
        listed = record.json()["photos"] + record.json()["photo_thumbnails"]
        for url in listed:  # a listed photo (or its thumbnail) must open for its reader
            assert photo is not None and sees_photo(user, p), ("API lists a photo", p)
            assert browser.get(url).status_code == 200, ("listed photo", p)
    open311 = api.get(reverse("open311:request", kwargs={"fmt": "json", "service_request_id": ref}))
    assert open311.status_code == (200 if is_public(p) else 404), ("Open311", p)
    responses = [detail, public, record, open311]
    if photo is not None:
        image = browser.get(reverse("issues:photo", args=[photo.pk]))
        assert image.status_code == (200 if sees_photo(user, p) else 404), ("photo", p)
        responses.append(image)
    return responses


def check_lists(browser, api, spec: WorldSpec, built: Built, land: dict) -> list:
    """The officers' list (with its desa filter), the API list, the desa's public page and the
    Open311 list each hold exactly the problems the oracle allows."""
    user = spec.user
    query = {"desa": land["desa"][spec.list_desa].code} if spec.list_desa is not None else {}
    listing = browser.get(reverse("issues:list"), query)
    assert outcome(listing) == (200 if user.role is not None else "login")
    listed = api.get(reverse("api:problem-list"))
    assert listed.status_code == 200
    api_refs = {row["reference"] for row in listed.json()["results"]}
    filtered = api.get(reverse("api:problem-list"), query)
    filtered_refs = {row["reference"] for row in filtered.json()["results"]}
    page_village = land["desa"][spec.page_desa]
    desa_page = browser.get(reverse("territory:village_detail", args=[page_village.code]))
    assert desa_page.status_code == 200
    requests = api.get(reverse("open311:requests", kwargs={"fmt": "json"}))
    open311_refs = {row["service_request_id"] for row in requests.json()}
    for p, problem, _photo in built.problems:
        ref = problem.reference
        if user.role is not None:
            shown = ref in body(listing)
            assert shown == officers_list_shows(user, p, spec.list_desa), ("list", p)
        assert (ref in api_refs) == api_lists(user, p), ("API list", p)
        in_filter = spec.list_desa is None or p.desa == spec.list_desa
        assert (ref in filtered_refs) == (api_lists(user, p) and in_filter), ("API filter", p)
        on_desa_page = p.desa == spec.page_desa and is_public(p)
        assert (ref in body(desa_page)) == on_desa_page, ("desa page", p)
        assert (ref in open311_refs) == is_public(p), ("Open311 list", p)
    return [listing, listed, filtered, desa_page, requests]


def check_exports(browser, spec: WorldSpec, land: dict) -> list:
    """A desa's export opens within the user's dashboard scope; a unit's for the unit and those
    below it."""
    user = spec.user
    village = land["desa"][spec.page_desa]
    dashboards = user.role in DASHBOARD_ROLES
    desa_export = browser.get(
        reverse(
            "metrics:export",
            kwargs={"level": "desa", "code": village.code, "table": "indikator", "fmt": "csv"},
        )
    )
    allowed = dashboards and spec.page_desa in scope(user)
    assert outcome(desa_export) == (200 if allowed else refused(user)), "desa export"
    unit = land["units"][spec.unit]
    unit_export = browser.get(
        reverse(
            "metrics:export",
            kwargs={"level": unit.kind, "code": unit.code, "table": spec.table, "fmt": "csv"},
        )
    )
    allowed = spec.unit in units_read(user)
    assert outcome(unit_export) == (200 if allowed else refused(user)), "unit export"
    return [desa_export, unit_export]


def assert_nothing_leaks(user: UserSpec, built: Built, responses) -> None:
    """A problem's title only to its readers; its reporter and contact only to those who may
    see them — in any response of the example."""
    text = "\n".join(body(r) for r in responses)
    allowed_neighbours = set()
    for p, problem, _photo in built.problems:
        if not reads(user, p):
            assert problem.title not in text, ("title leaks", p)
        if sees_reporter(user, p):
            allowed_neighbours.add(p.reporter)
            continue
        for secret in (problem.contact_name, problem.contact_phone, problem.contact_email):
            assert secret not in text, ("contact leaks", secret, p)
    for name, neighbour in built.neighbours.items():
        if name not in allowed_neighbours:
            assert neighbour.email not in text, ("reporter leaks", name)
            assert neighbour.name not in text, ("reporter leaks", name)


def relaxed(examples: int):
    """Each example costs a few dozen requests: modest counts keep the file near 30 s."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.django_db
@relaxed(60)
@example(
    WorldSpec(
        user=UserSpec(role=Role.POLDA_VIEWER, unit="polda"),
        neighbour_desa=(3, 1),
        problems=(ProblemSpec(3, True, False, False, "neighbour0", "police"),),
        list_desa=3,
        page_desa=3,
        unit="polres_other",
        table="wilayah",
    )
)
@example(
    WorldSpec(
        user=UserSpec(role=Role.OFFICER, unit="polsek", assignments=((0, False), (2, True))),
        neighbour_desa=(0, 2),
        problems=(
            ProblemSpec(0, True, False, False, "neighbour0", "police"),
            ProblemSpec(2, False, True, False, "neighbour1", "public"),
            ProblemSpec(2, False, False, True, "anonymous", "public"),
        ),
        list_desa=0,
        page_desa=2,
        unit="polsek",
        table="indikator",
    )
)
@given(spec=world_specs())
def test_nobody_reaches_a_problem_outside_their_scope(area, spec):
    land = territory(area)
    files = []
    try:
        with rolled_back():
            built = build_world(spec, land)
            files = built.files
            browser, api = clients(built.user)
            responses = []
            for p, problem, photo in built.problems:
                responses += check_problem(browser, api, spec.user, p, problem, photo)
            responses += check_lists(browser, api, spec, built, land)
            responses += check_exports(browser, spec, land)
            assert_nothing_leaks(spec.user, built, responses)
    finally:
        remove_files(files)


# --- Forums and visits ----------------------------------------------------------------------------
def build_partnership(spec: PartnershipSpec, land: dict, user: User | None):
    village = land["desa"][spec.forum_desa]
    forum = ForumFactory(village=village, is_public=spec.forum_public)
    meeting = HeldMeetingFactory(
        forum=forum, minutes=SECRET_MINUTES, minutes_internal=spec.minutes_internal
    )
    visit_village = land["desa"][spec.visit_desa]
    if spec.visit_by_viewer and spec.user.role == Role.OFFICER:
        author = user.officer
    else:
        author = OfficerFactory(unit=visit_village.polsek)
        AssignmentFactory(officer=author, village=visit_village, is_primary=False)
    visit = Visit.objects.create(officer=author, village=visit_village, notes=SECRET_VISIT)
    return forum, meeting, visit


@pytest.mark.django_db
@relaxed(40)
@given(spec=partnership_specs)
def test_nobody_reaches_a_forum_record_or_a_visit_outside_their_scope(area, spec):
    land = territory(area)
    user = spec.user
    # Only an officer writes visits: for anyone else the visit is a colleague's.
    spec = replace(spec, visit_by_viewer=spec.visit_by_viewer and user.role == Role.OFFICER)
    with rolled_back():
        account = make_user(user, land)
        forum, meeting, visit = build_partnership(spec, land, account)
        browser, api = clients(account)
        reader = reads_forum(user, spec.forum_desa)
        expected = 200 if reader else refused(user)
        detail = browser.get(reverse("forums:detail", args=[forum.pk]))
        assert outcome(detail) == expected, "forum record"
        page = browser.get(reverse("forums:meeting", args=[forum.pk, meeting.pk]))
        assert outcome(page) == expected, "meeting record"

        home = user.desa == spec.forum_desa
        public = browser.get(reverse("forums:public", args=[forum.pk]))
        opens_public = spec.forum_public or reader or (user.role is not None and home)
        assert public.status_code == (200 if opens_public else 404), "forum public page"
        record = api.get(reverse("api:meeting-detail", args=[meeting.pk]))
        if user.role is None:
            assert record.status_code == 401
        else:
            in_reach = reader or (user.role == Role.RESIDENT and home)
            assert record.status_code == (200 if in_reach else 404), "API meeting"

        visits = browser.get(reverse("officers:visits"))
        staff = user.role == Role.OPERATOR or user.role in POLICE_ROLES
        assert outcome(visits) == (200 if staff else refused(user)), "visits page"
        if staff:
            assert (SECRET_VISIT in body(visits)) == sees_visit(user, spec), "visits page"
        one_visit = api.get(reverse("api:visit-detail", args=[visit.pk]))
        if not staff:
            assert one_visit.status_code == (401 if user.role is None else 403)
        else:
            assert one_visit.status_code == (200 if sees_visit(user, spec) else 404), "API visit"

        text = "\n".join(body(r) for r in (detail, page, public, record, visits, one_visit))
        if spec.minutes_internal and not reader:
            assert SECRET_MINUTES not in text, "internal minutes leak"
        if not sees_visit(user, spec):
            assert SECRET_VISIT not in text, "visit notes leak"
        if reader or (not spec.minutes_internal and (opens_public or record.status_code == 200)):
            # The minutes reach those entitled to them, on one page or the other.
            assert SECRET_MINUTES in text, "minutes missing"


def test_the_oracle_knows_the_fixture_territory(area):
    """The oracle's picture of the area matches the conftest's, so a change there cannot make
    the properties above pass vacuously."""
    land = territory(area)
    for index, name in DESA_POLSEK.items():
        assert land["desa"][index].polsek == land["units"][name]
    for polsek, polres in POLSEK_POLRES.items():
        assert land["units"][polsek].parent == land["units"][polres]
        assert land["units"][polres].parent == land["units"]["polda"]
    for name, kind in UNIT_KIND.items():
        assert land["units"][name].kind == kind
