"""FKPM of a desa: the forum, its members (with turnover and newcomers), a monthly schedule,
and its meetings over the window exactly where `forums.recurrence` puts them (so the daily
`generate_meetings` job finds them and adds nothing): held ones with attendance, minutes,
the problems discussed, reviewed and raised, and action items; cancelled ones with a reason;
missed ones marked by the hourly job; the coming ones planned."""

import datetime
import functools
import json
import random

from forums.demo import (
    BOARD,
    CANCEL_REASONS,
    FIRST_NAMES_MEN,
    FIRST_NAMES_WOMEN,
    INTERNAL_SHARE,
    LAST_NAMES,
    TITLES,
    TOPICS,
)
from forums.models import ActionItem, Forum, MeetingProblem, Member, Schedule
from forums.services import HORIZON, MISSED_AFTER, REMIND_BEFORE
from issues.workflow import CLOSED_STATUSES

from .context import DAY, HOUR, Desa, Run, clamp, local_day, local_to_utc, poisson
from .problems import Problems, Record

FORUM_COLUMNS = (
    "id",
    "name",
    "kind",
    "village_id",
    "established_on",
    "decree_number",
    "bkpm_post",
    "is_public",
    "calendar_token",
    "created_by_id",
    "created_at",
)
MEMBER_COLUMNS = (
    "id",
    "forum_id",
    "name",
    "user_id",
    "role",
    "sector",
    "gender",
    "phone",
    "email",
    "joined_on",
    "left_on",
)
SCHEDULE_COLUMNS = (
    "id",
    "forum_id",
    "frequency",
    "interval",
    "weekday",
    "week_of_month",
    "time",
    "duration_minutes",
    "place",
    "starts_on",
    "updated_at",
)
MEETING_COLUMNS = (
    "id",
    "forum_id",
    "scheduled_at",
    "duration_minutes",
    "place",
    "from_schedule",
    "status",
    "status_changed_at",
    "cancel_reason",
    "other_men",
    "other_women",
    "other_by_group",
    "police_present",
    "partners_present",
    "minutes",
    "summary",
    "minutes_internal",
    "recorded_by_id",
    "recorded_at",
    "reminders_queued_at",
    "created_at",
)
ATTENDANCE_COLUMNS = ("id", "meeting_id", "member_id")
LINK_COLUMNS = ("id", "meeting_id", "problem_id", "kind", "status_at_meeting", "note", "created_at")
ACTION_COLUMNS = (
    "id",
    "forum_id",
    "meeting_id",
    "what",
    "owner_member_id",
    "owner_name",
    "due_on",
    "problem_id",
    "status",
    "status_note",
    "closed_at",
    "created_by_id",
    "created_at",
)

HELD, CANCELLED, MISSED, PLANNED = "held", "cancelled", "missed", "planned"
DURATION = 120
TIMES = [datetime.time(19, 0), datetime.time(19, 30), datetime.time(9, 0), datetime.time(13, 0)]
OWNERS = ["Ketua RT 03", "Karang taruna", "Babinsa", "Bhabinkamtibmas", "Kepala dusun"]
PARTNERS = ["Babinsa, Sekretaris desa", "Babinsa", "Kepala dusun", "Babinsa, Puskesmas"]
OPEN = "open"


def _minutes(first, second) -> tuple[str, str]:
    text = "\n\n".join(
        [
            "Rapat dibuka oleh ketua FKPM dan dilanjutkan laporan Bhabinkamtibmas "
            "tentang situasi kamtibmas sebulan terakhir.",
            f"**{first[0]}**: {first[1]}",
            f"**{second[0]}**: {second[1]}",
            "- Warga diminta melapor lewat portal atau langsung ke Bhabinkamtibmas\n"
            "- Rapat berikutnya sesuai jadwal",
        ]
    )
    return text, f"Forum membahas {first[0].lower()} dan {second[0].lower()}."


# Every ordered pair of topics, written once: a national run records ~1.4 million meetings.
MINUTES = [_minutes(a, b) for a in TOPICS for b in TOPICS if a is not b]


@functools.cache
def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date:
    """The date dateutil's rrule gives for e.g. TU(2) (second Tuesday) or TU(-1) (last)."""
    if week > 0:
        first = datetime.date(year, month, 1)
        return first + DAY * ((weekday - first.weekday()) % 7 + 7 * (week - 1))
    last = (datetime.date(year, month, 1) + 32 * DAY).replace(day=1) - DAY
    return last - DAY * ((last.weekday() - weekday) % 7)


@functools.cache
def _by_group_json(youth: int, elderly: int, disability: int) -> str:
    counts = {"youth": youth, "elderly": elderly, "disability": disability}
    return json.dumps({group: count for group, count in counts.items() if count})


class Forums:
    def __init__(self, run: Run, problems: Problems):
        self.run = run
        self.problems = problems

    def for_desa(self, desa: Desa, rng: random.Random, records: list[Record]) -> bool:
        """The desa's FKPM, if it has one; returns whether it does."""
        chance = 0.55 + 0.43 * desa.attention if desa.assignments else 0.15
        if rng.random() >= chance:
            return False
        run = self.run
        forum_id = next(run.ids["forum"])
        window = run.window_start.date()
        if rng.random() < 0.85:
            established = window - DAY * rng.randint(30, 1500)
        else:
            established = window + DAY * int((run.today - window).days * 0.75 * rng.random())
        first = desa.assignments[0] if desa.assignments else None
        creator = first.user_id if first else desa.kapolsek_user_id
        created_at = local_to_utc(established, datetime.time(10, 0), desa.offset)
        kind = "Kelurahan" if desa.is_kelurahan else "Desa"
        run.loader.add(
            "forum",
            (
                forum_id,
                f"FKPM {kind} {desa.name}",
                Forum.Kind.VILLAGE.value,
                desa.id,
                established,
                f"{rng.randint(100, 199)}/Kep.{rng.randint(1, 60):02d}-Ds/{established.year}",
                f"Pos BKPM, samping balai desa {desa.name}" if rng.random() < 0.4 else "",
                rng.random() < 0.9,
                f"{rng.getrandbits(192):048x}",
                creator,
                created_at,
            ),
        )
        members = self._members(rng, forum_id, established)
        schedule = self._schedule(desa, rng, forum_id, established, created_at)
        self._meetings(desa, rng, forum_id, created_at, members, schedule, records)
        return True

    def _members(self, rng, forum_id: int, established: datetime.date) -> list[tuple]:
        """(id, joined_on, left_on) of every membership, the history included."""
        run = self.run
        board = BOARD[: rng.randint(8, len(BOARD))]
        specs = [[role, sector, gender, established, None] for role, sector, gender in board]
        window = max(run.window_start.date(), established)
        span = max(1, (run.today - window).days - 2)
        if rng.random() < 0.3:
            # Turnover: a member (never the chair) leaves and someone of the same part of the
            # community takes the seat the next day.
            index = rng.randrange(4, len(board))
            left = window + DAY * rng.randrange(span)
            specs[index][4] = left
            specs.append([Member.Role.MEMBER, board[index][1], board[index][2], left + DAY, None])
        for _newcomer in range(rng.choice([0, 0, 0, 1, 2])):
            sector = rng.choice([Member.Sector.YOUTH, Member.Sector.WOMEN, Member.Sector.RT_RW])
            joined = window + DAY * rng.randrange(span)
            specs.append([Member.Role.MEMBER, sector, Member.Gender.MALE, joined, None])
        women_share = rng.uniform(0.05, 0.4)
        rows = []
        for role, sector, gender, joined, left in specs:
            if sector == Member.Sector.WOMEN or (
                role == Member.Role.MEMBER and rng.random() < women_share
            ):
                gender = Member.Gender.FEMALE
            first = FIRST_NAMES_WOMEN if gender == Member.Gender.FEMALE else FIRST_NAMES_MEN
            name = f"{TITLES.get(sector, '')}{rng.choice(first)} {rng.choice(LAST_NAMES)}"
            phone = f"0857{rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else ""
            member_id = next(run.ids.member)
            row = (member_id, forum_id, name, None, role.value, sector.value, gender.value)
            run.loader.add("member", (*row, phone, "", joined, left))
            rows.append((member_id, joined, left))
        return rows

    def _schedule(self, desa, rng, forum_id, established, created_at) -> tuple:
        run = self.run
        weekday = rng.choice([0, 1, 1, 2, 3, 4])
        week = rng.choice([1, 2, 2, 3, 4, -1])
        time = rng.choice(TIMES)
        place = rng.choice([f"Balai desa {desa.name}", "Aula kantor desa", "Masjid jami"])
        starts_on = max(run.window_start.date(), established)
        updated = max(created_at, run.window_start)
        run.loader.add(
            "schedule",
            (
                next(run.ids["schedule"]),
                forum_id,
                Schedule.Frequency.MONTHLY.value,
                1,
                weekday,
                week,
                time,
                DURATION,
                place,
                starts_on,
                updated,
            ),
        )
        return weekday, week, time, place, starts_on

    def _occurrences(self, desa, schedule) -> list[datetime.datetime]:
        weekday, week, time, _place, starts_on = schedule
        earliest = local_to_utc(starts_on, time, desa.offset)
        until = self.run.now + HORIZON
        moments, year, month = [], starts_on.year, starts_on.month
        while True:
            day = nth_weekday(year, month, weekday, week)
            moment = local_to_utc(day, time, desa.offset)
            if moment >= until:
                return moments
            if moment >= earliest:
                moments.append(moment)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def _meetings(self, desa, rng, forum_id, forum_created, members, schedule, records) -> None:
        run = self.run
        place = schedule[3]
        attention = desa.attention
        held_share = clamp(0.25 + 0.7 * attention + rng.gauss(0, 0.08), 0.05, 0.98)
        # Some forums fall asleep: from then on their meetings go unrecorded.
        asleep = (
            run.window_start + (run.now - run.window_start) * rng.random()
            if rng.random() < 0.25 * (1 - attention)
            else None
        )
        agenda = _Agenda(self, desa, rng, records)
        for moment in self._occurrences(desa, schedule):
            meeting_id = next(run.ids.meeting)
            created = min(max(moment - HORIZON, forum_created), moment)
            day = local_day(moment, desa.offset)
            officer = desa.officer_on(day)
            share = held_share if officer else held_share * 0.4
            if asleep is not None and moment > asleep:
                share = 0.03
            fate = rng.choices([HELD, CANCELLED, MISSED], [share, 0.06, max(0.0, 0.94 - share)])[0]
            recorded = (
                moment + DURATION * datetime.timedelta(minutes=1) + HOUR * rng.uniform(0.5, 48)
            )
            reminded = moment - REMIND_BEFORE if moment - REMIND_BEFORE >= created else None
            if reminded is not None and reminded > run.now:
                reminded = None
            row = [meeting_id, forum_id, moment, DURATION, place, True, PLANNED, None, ""]
            row += [0, 0, "{}", "", "", "", "", False, None, None, reminded, created]
            if fate == CANCELLED and moment - DAY <= run.now:
                cancelled = max(moment - DAY, created)
                row[6:9] = [CANCELLED, cancelled, rng.choice(CANCEL_REASONS)]
            elif fate == HELD and recorded <= run.now:
                recorder = officer.user_id if officer else desa.kapolsek_user_id
                self._held(desa, rng, row, members, officer, recorder, recorded)
                agenda.meeting(meeting_id, moment, recorded, recorder, forum_id, members)
            elif moment <= run.now - MISSED_AFTER:
                marked = min(moment + MISSED_AFTER + HOUR * rng.random(), run.now)
                row[6:8] = [MISSED, marked]
            run.loader.add("meeting", tuple(row))

    def _held(self, desa, rng, row, members, officer, recorder, recorded) -> None:
        run = self.run
        attention = desa.attention
        day = local_day(row[2], desa.offset)
        active = [m for m in members if m[1] <= day and (m[2] is None or m[2] > day)]
        if active:
            rate = clamp(rng.gauss(0.45 + 0.45 * attention, 0.1), 0.2, 1.0)
            for member_id, _joined, _left in rng.sample(active, max(1, round(len(active) * rate))):
                run.loader.add("attendance", (next(run.ids.attendance), row[0], member_id))
        men = rng.randint(1, 4 + int(10 * attention))
        women = max(0, round(men * rng.uniform(0.3, 1.0)) + rng.randint(-1, 2))
        by_group = _by_group_json(rng.randint(0, 6), rng.randint(0, 3), int(rng.random() < 0.15))
        minutes, summary = rng.choice(MINUTES)
        police = f"{run.officer_names[officer.officer_id]} (Bhabinkamtibmas)" if officer else ""
        row[6:8] = [HELD, recorded]
        row[9:18] = [
            men,
            women,
            by_group,
            police,
            rng.choice(PARTNERS),
            minutes,
            summary,
            rng.random() < INTERNAL_SHARE,
            recorder,
        ]
        row[18] = recorded


class _Agenda:
    """The problems on each held meeting's agenda: the previous meeting's open ones reviewed,
    the desa's new reports discussed, problems raised at the meeting; and the decisions."""

    def __init__(self, forums: Forums, desa: Desa, rng, records: list[Record]):
        self.forums, self.desa, self.rng = forums, desa, rng
        self.candidates = [r for r in records if r.linkable]
        self.next = 0
        self.carried: list[Record] = []
        self.follow_up = 0.5 + 0.45 * desa.attention

    def meeting(self, meeting_id, moment, recorded, recorder, forum_id, members) -> None:
        run, rng, desa = self.forums.run, self.rng, self.desa
        links: list[tuple[Record, str, str]] = []
        for record in self.carried:
            if rng.random() < self.follow_up:
                links.append((record, MeetingProblem.Kind.REVIEWED.value, record.status_at(moment)))
        seen = {r.id for r, _k, _s in links}
        while self.next < len(self.candidates) and self.candidates[self.next].created_at < moment:
            record = self.candidates[self.next]
            self.next += 1
            fresh = record.created_at >= moment - 60 * DAY
            if fresh and record.id not in seen and rng.random() < 0.4 + 0.5 * desa.attention:
                links.append(
                    (record, MeetingProblem.Kind.DISCUSSED.value, record.status_at(moment))
                )
        for _raised in range(poisson(rng, 0.1 + 0.4 * desa.attention)):
            record = self.forums.problems.raise_at_meeting(
                desa, rng, recorded, reporter_id=recorder, recent=[]
            )
            links.append((record, MeetingProblem.Kind.RAISED.value, "new"))
        for record, kind, status in links:
            run.loader.add(
                "meeting_problem",
                (
                    next(run.ids["meeting_problem"]),
                    meeting_id,
                    record.id,
                    kind,
                    status,
                    "",
                    recorded,
                ),
            )
        self.carried = [r for r, _k, status in links if status not in CLOSED_STATUSES]
        self._actions(meeting_id, moment, recorded, recorder, forum_id, members, links)

    def _actions(self, meeting_id, moment, recorded, recorder, forum_id, members, links) -> None:
        run, rng = self.forums.run, self.rng
        day = local_day(moment, self.desa.offset)
        for _title, _text, what in rng.sample(TOPICS, k=1 if rng.random() < 0.7 else 2):
            due = day + DAY * rng.choice([7, 14, 30])
            owner = rng.choice(members)[0] if members and rng.random() < 0.3 else None
            problem = links[0][0].id if links and rng.random() < 0.5 else None
            status, closed, note = OPEN, None, ""
            overdue = (run.today - due).days
            draw = rng.random()
            if (overdue > 30 and draw < 0.8) or (0 < overdue <= 30 and draw < 0.5):
                status = ActionItem.Status.DONE.value
            elif overdue > 30 and draw < 0.9:
                status, note = ActionItem.Status.DROPPED.value, "Tidak lagi relevan"
            if status != OPEN:
                closed = local_to_utc(
                    due + DAY * rng.randint(-5, 3), datetime.time(10, 0), self.desa.offset
                )
                closed = min(max(closed, recorded), run.now)
            run.loader.add(
                "action_item",
                (
                    next(run.ids["action_item"]),
                    forum_id,
                    meeting_id,
                    what,
                    owner,
                    "" if owner else rng.choice(OWNERS),
                    due,
                    problem,
                    status,
                    note,
                    closed,
                    recorder,
                    recorded,
                ),
            )
