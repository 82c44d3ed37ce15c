"""Demo forums for `seed_demo`: an FKPM for every desa of the demo regency that has an officer,
with members and two years of monthly meetings — most held (attendance, minutes, problems on
the agenda, decisions), a few cancelled, a few missed — all made through the services.

Deterministic (the caller's seeded generator, fixed lists, the caller's `now`) and idempotent
(a desa that has its FKPM already is skipped). Call it after the demo's officers, problems and
residents exist: a resident of a desa becomes its forum's secretary with an account.
"""

import datetime
import random

from django.db import transaction

from accounts.models import User
from forums import selectors, services
from forums.models import ActionItem, Forum, Meeting, Member, Schedule
from issues.models import Category
from officers.models import Assignment
from territory.models import Regency

HISTORY = datetime.timedelta(days=730)
# Minutes are internal unless the recorder opens them (they name people): most stay internal.
INTERNAL_SHARE = 0.7
FIRST_NAMES_MEN = [
    "Agus",
    "Dadang",
    "Ujang",
    "Asep",
    "Cecep",
    "Yayan",
    "Hendra",
    "Iwan",
    "Ahmad",
    "Ade",
    "Dede",
    "Endang",
    "Maman",
    "Nanang",
    "Ruhiyat",
]
FIRST_NAMES_WOMEN = [
    "Euis",
    "Neneng",
    "Siti",
    "Dewi",
    "Rina",
    "Imas",
    "Yati",
    "Nining",
    "Enok",
    "Lilis",
    "Tati",
    "Wati",
]
LAST_NAMES = [
    "Hidayat",
    "Permana",
    "Suherman",
    "Sopian",
    "Supriatna",
    "Rahmat",
    "Kurnia",
    "Saepudin",
    "Mulyana",
    "Suryana",
    "Komarudin",
    "Setiawan",
]
TITLES = {
    Member.Sector.RELIGIOUS: "Ustaz ",
    Member.Sector.CUSTOMARY: "Abah ",
    Member.Sector.VILLAGE_GOVERNMENT: "Sekdes ",
    Member.Sector.BABINSA: "Serda ",
}
# (role, sector, gender) of a typical FKPM's board and members.
BOARD = [
    (Member.Role.CHAIR, Member.Sector.COMMUNITY, Member.Gender.MALE),
    (Member.Role.DEPUTY, Member.Sector.RELIGIOUS, Member.Gender.MALE),
    (Member.Role.SECRETARY, Member.Sector.WOMEN, Member.Gender.FEMALE),
    (Member.Role.TREASURER, Member.Sector.BUSINESS, Member.Gender.FEMALE),
    (Member.Role.MEMBER, Member.Sector.RT_RW, Member.Gender.MALE),
    (Member.Role.MEMBER, Member.Sector.YOUTH, Member.Gender.MALE),
    (Member.Role.MEMBER, Member.Sector.CUSTOMARY, Member.Gender.MALE),
    (Member.Role.MEMBER, Member.Sector.BABINSA, Member.Gender.MALE),
    (Member.Role.MEMBER, Member.Sector.VILLAGE_GOVERNMENT, Member.Gender.MALE),
    (Member.Role.MEMBER, Member.Sector.VOLUNTEER, Member.Gender.FEMALE),
    (Member.Role.MEMBER, Member.Sector.YOUTH, Member.Gender.FEMALE),
]
TOPICS = [
    (
        "Ronda malam",
        "Jadwal ronda malam RT 01-05 disusun ulang; pos ronda RW 03 diperbaiki.",
        "Menyusun jadwal ronda baru dan membagikannya ke grup WhatsApp RT",
    ),
    (
        "Balap liar",
        "Balap liar remaja setiap malam Minggu di jalan desa; orang tua diundang.",
        "Memasang portal jalan dan mengundang orang tua remaja",
    ),
    (
        "Kenakalan remaja",
        "Karang taruna mengusulkan kegiatan olahraga malam Minggu.",
        "Mengadakan turnamen futsal karang taruna",
    ),
    (
        "Penipuan daring",
        "Warga lansia menerima pesan undian palsu; perlu sosialisasi.",
        "Sosialisasi penipuan daring di pengajian ibu-ibu",
    ),
    (
        "Lampu jalan",
        "Beberapa gang gelap dan rawan pencurian; usulan ke pemerintah desa.",
        "Mengajukan pemasangan lampu jalan ke pemerintah desa",
    ),
    (
        "Sengketa batas kebun",
        "Mediasi dua keluarga dengan tokoh adat dan kepala dusun.",
        "Mediasi lanjutan bersama tokoh adat",
    ),
    (
        "Parkir di depan pasar",
        "Truk parkir di bahu jalan pada pagi hari; koordinasi Dishub.",
        "Koordinasi jam bongkar muat dengan pengelola pasar",
    ),
    (
        "Minuman keras",
        "Pesta miras di lapangan; warung penjual diberi teguran.",
        "Patroli bersama Babinsa setiap Sabtu malam",
    ),
]
CANCEL_REASONS = [
    "Bertepatan dengan hajatan warga",
    "Hujan deras dan banjir di jalan desa",
    "Bertepatan dengan hari raya",
    "Balai desa dipakai untuk posyandu",
]
HELD, CANCELLED, MISSED = "held", "cancelled", "missed"


def _person(rng: random.Random, gender: str, sector: str) -> str:
    first = rng.choice(FIRST_NAMES_WOMEN if gender == Member.Gender.FEMALE else FIRST_NAMES_MEN)
    return f"{TITLES.get(sector, '')}{first} {rng.choice(LAST_NAMES)}"


def seed_forums(*, regency: Regency, rng: random.Random, now: datetime.datetime) -> int:
    """Create the demo forums of `regency`; returns how many forums were created."""
    assignments = list(
        Assignment.objects.active(now.date())
        .filter(village__district__regency=regency, is_primary=True)
        .exclude(village__forums__kind=Forum.Kind.VILLAGE)
        .select_related("officer__user", "village")
        .order_by("village__code")
    )
    categories = list(Category.objects.filter(is_active=True, always_private=False))
    created = []
    for number, assignment in enumerate(assignments):
        with transaction.atomic(), selectors.cached_permissions():
            forum = _forum(assignment, rng=rng, now=now)
            created.append(forum)
            _history(
                forum,
                assignment,
                rng=rng,
                now=now,
                raise_one=number % 15 == 0,
                categories=categories,
            )
    services.meetings_mark_missed(now=now)
    return len(created)


def _forum(assignment: Assignment, *, rng: random.Random, now: datetime.datetime) -> Forum:
    village = assignment.village
    officer = assignment.officer.user
    established = now.date() - HISTORY - datetime.timedelta(days=rng.randint(30, 1500))
    forum = services.forum_create(
        actor=officer,
        village=village,
        name=f"FKPM {village.get_kind_display()} {village.name}",
        established_on=established,
        decree_number=f"{rng.randint(100, 199)}/Kep.{rng.randint(1, 60):02d}-Ds/{established.year}",
        bkpm_post=f"Pos BKPM, samping balai desa {village.name}" if rng.random() < 0.4 else "",
        now=now,
    )
    # On the portal since its two years of meetings began: the indicators count a forum from
    # the day it was entered (`forums_met_90d_pct`), and the demo's trends start full.
    Forum.objects.filter(pk=forum.pk).update(created_at=now - HISTORY)
    forum.created_at = now - HISTORY
    secretary_account = (
        User.objects.filter(role=User.Role.RESIDENT, village=village, is_active=True)
        .order_by("email")
        .first()
    )
    size = rng.randint(8, len(BOARD))
    for role, sector, gender in BOARD[:size]:
        account = secretary_account if role == Member.Role.SECRETARY else None
        services.member_add(
            actor=officer,
            forum=forum,
            name=account.name if account else _person(rng, gender, sector),
            role=role,
            sector=sector,
            gender=gender,
            phone=f"0857{rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else "",
            user=account,
            joined_on=established,
        )
    if rng.random() < 0.3:
        # Turnover: a member left a year ago and someone else took the seat.
        leaving = forum.members.filter(role=Member.Role.MEMBER).order_by("pk").first()
        left_on = now.date() - datetime.timedelta(days=rng.randint(200, 400))
        services.member_leave(actor=officer, member=leaving, left_on=left_on)
        services.member_add(
            actor=officer,
            forum=forum,
            name=_person(rng, leaving.gender, leaving.sector),
            role=Member.Role.MEMBER,
            sector=leaving.sector,
            gender=leaving.gender,
            joined_on=left_on + datetime.timedelta(days=1),
        )
    services.schedule_set(
        actor=officer,
        forum=forum,
        frequency=Schedule.Frequency.MONTHLY,
        weekday=rng.choice([0, 1, 1, 2, 3, 4]),
        week_of_month=rng.choice([1, 2, 2, 3, 4]),
        time=rng.choice([datetime.time(19, 0), datetime.time(19, 30), datetime.time(9, 0)]),
        place=rng.choice([f"Balai desa {village.name}", "Aula kantor desa", "Masjid jami"]),
        starts_on=now.date() - HISTORY,
        now=now,
    )
    services.meetings_generate(
        forums=Forum.objects.filter(pk=forum.pk), start=now - HISTORY, now=now
    )
    return forum


def _history(forum, assignment, *, rng, now, raise_one: bool, categories) -> None:
    """Record the forum's past meetings: ~85% held, ~8% cancelled, the rest left for the missed
    job; problems of the desa go on the agenda of the first meeting after they were reported,
    and are reviewed at the next one. What the services would read back (members, the last
    agenda) is kept here: the demo makes ~7,000 meetings and every query counts."""
    officer = assignment.officer.user
    members = list(forum.members.order_by("pk"))
    secretary = next((m.user for m in members if m.role == Member.Role.SECRETARY and m.user), None)
    past = list(
        forum.meetings.filter(scheduled_at__lt=now - services.MISSED_AFTER).order_by("scheduled_at")
    )
    problems = list(forum.village.problems.filter(is_hidden=False).order_by("created_at"))
    held, carried = None, []
    for meeting in past:
        meeting.forum = forum
        fate = rng.choices([HELD, CANCELLED, MISSED], weights=[85, 8, 7])[0]
        if fate == CANCELLED:
            services.meeting_cancel(
                actor=officer,
                meeting=meeting,
                reason=rng.choice(CANCEL_REASONS),
                now=meeting.scheduled_at - datetime.timedelta(days=1),
            )
            continue
        if fate == MISSED:
            continue
        recorder = secretary if secretary and rng.random() < 0.4 else officer
        day = forum.local(meeting.scheduled_at).date()
        present = [
            m for m in members if m.joined_on <= day and (m.left_on is None or m.left_on > day)
        ]
        _hold(
            meeting, officer=officer, recorder=recorder, members=present, reviewed=carried, rng=rng
        )
        linked = []
        while problems and problems[0].created_at < meeting.scheduled_at:
            linked.append(problems.pop(0))
            services.meeting_link_problem(actor=recorder, meeting=meeting, problem=linked[-1])
        _decide(meeting, recorder=recorder, problems=linked + carried, rng=rng, now=now)
        carried = [p for p in carried + linked if p.is_open]
        held = meeting
    if raise_one and held is not None and categories:
        topic = TOPICS[rng.randrange(len(TOPICS))]
        services.meeting_raise_problem(
            actor=officer,
            meeting=held,
            village=forum.village,
            category=rng.choice(categories),
            title=topic[0],
            description=topic[1],
        )


def _hold(meeting: Meeting, *, officer, recorder, members, reviewed, rng) -> None:
    present = rng.sample(members, k=max(1, round(len(members) * rng.uniform(0.55, 0.95))))
    topics = rng.sample(TOPICS, k=2)
    minutes = "\n\n".join(
        [
            "Rapat dibuka oleh ketua FKPM dan dilanjutkan laporan Bhabinkamtibmas "
            "tentang situasi kamtibmas sebulan terakhir.",
            *[f"**{title}**: {text}" for title, text, _ in topics],
            "- Warga diminta melapor lewat portal atau langsung ke Bhabinkamtibmas\n"
            "- Rapat berikutnya sesuai jadwal",
        ]
    )
    services.meeting_record(
        actor=recorder,
        meeting=meeting,
        members_present=present,
        minutes=minutes,
        summary=f"Forum membahas {topics[0][0].lower()} dan {topics[1][0].lower()}.",
        minutes_internal=rng.random() < INTERNAL_SHARE,
        other_men=rng.randint(2, 15),
        other_women=rng.randint(1, 12),
        other_by_group={
            "youth": rng.randint(0, 8),
            "elderly": rng.randint(0, 4),
            "disability": rng.randint(0, 1),
        },
        police_present=f"{officer.officer.get_rank_display()} {officer.name} (Bhabinkamtibmas)",
        partners_present=rng.choice(["Babinsa, Sekretaris desa", "Babinsa", "Kepala dusun"]),
        reviewed_problems=reviewed,
        now=meeting.scheduled_at + datetime.timedelta(hours=2),
    )


def _decide(meeting: Meeting, *, recorder, problems, rng, now) -> None:
    """One decision, sometimes two; those due more than a month ago are mostly closed."""
    for title, _text, action in rng.sample(TOPICS, k=1 if rng.random() < 0.7 else 2):
        due = meeting.forum.local(meeting.scheduled_at).date() + datetime.timedelta(
            days=rng.choice([7, 14, 30])
        )
        item = services.action_item_add(
            actor=recorder,
            meeting=meeting,
            what=action,
            owner_name=rng.choice(["Ketua RT 03", "Karang taruna", "Babinsa", "Bhabinkamtibmas"]),
            due_on=due,
            problem=problems[0] if problems and rng.random() < 0.5 else None,
        )
        if due < now.date() - datetime.timedelta(days=30):
            closed = rng.random()
            if closed < 0.8:
                services.action_item_set_status(
                    actor=recorder, item=item, status=ActionItem.Status.DONE, now=now
                )
            elif closed < 0.9:
                services.action_item_set_status(
                    actor=recorder,
                    item=item,
                    status=ActionItem.Status.DROPPED,
                    note=f"Tidak lagi relevan ({title.lower()})",
                    now=now,
                )
