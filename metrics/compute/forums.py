"""Families 3, 4, 5 (problems raised per meeting) and 8: the forums' meetings, who came, and
whether the last meeting's problems were reviewed.

A meeting belongs to the desa of its forum (an area forum to the desa where it sits) and to
the month of its scheduled time in that desa's zone.
"""

from forums.models import Meeting, MeetingProblem, Member
from issues.models import VulnerableGroup
from issues.workflow import CLOSED_STATUSES
from metrics.compute import sql, staging
from metrics.compute.staging import DesaAggregate
from metrics.compute.tables import Month

CONSTANTS = {
    "held": Meeting.Status.HELD,
    "cancelled": Meeting.Status.CANCELLED,
    "missed": Meeting.Status.MISSED,
    "raised": MeetingProblem.Kind.RAISED,
    "female": Member.Gender.FEMALE,
    "youth": Member.Sector.YOUTH,
}

# The meetings of the month whose fate is known. A planned meeting not yet recorded is left
# out rather than counted as not held: the hourly job marks it missed three days on.
# `prev_id`: the last meeting held before it, whose problems it should review.
MEETINGS = """
INSERT INTO cmp_meetings (meeting_id, village_id, status, prev_id)
SELECT t.id, f.village_id, t.status,
       CASE WHEN t.status = %(held)s THEN (
           SELECT p.id FROM forums_meeting p
           WHERE p.forum_id = t.forum_id AND p.status = %(held)s
             AND p.scheduled_at < t.scheduled_at
           ORDER BY p.scheduled_at DESC LIMIT 1) END
FROM forums_meeting t
JOIN forums_forum f ON f.id = t.forum_id
JOIN cmp_month m ON m.village_id = f.village_id
WHERE t.status IN (%(held)s, %(cancelled)s, %(missed)s) AND m.in_scope = 1
  AND t.scheduled_at >= %(lo)s AND t.scheduled_at < %(hi)s
  AND t.scheduled_at >= m.lo AND t.scheduled_at < m.hi
"""

# Each member's first held meeting (the earliest by time, then by id), for the first-time
# attendees: once per run, for the members who came to a meeting of a desa in scope. Asked
# per meeting of every month instead ("no earlier held meeting of this member"), it cost a
# national month 5–7 s; the whole history sorted once costs less than two months of that.
FIRST_MEETINGS = """
INSERT INTO cmp_first_meetings (member_id, meeting_id)
SELECT member_id, meeting_id FROM (
    SELECT fa.member_id, fa.meeting_id,
           ROW_NUMBER() OVER (PARTITION BY fa.member_id ORDER BY bm.scheduled_at, bm.id) AS r
    FROM forums_attendance fa JOIN forums_meeting bm ON bm.id = fa.meeting_id
    WHERE bm.status = %(held)s {members}) q
WHERE r = 1
"""
MEMBERS_IN_SCOPE = """AND fa.member_id IN (
    SELECT a.member_id FROM forums_attendance a
    JOIN forums_meeting am ON am.id = a.meeting_id
    JOIN forums_forum f ON f.id = am.forum_id
    JOIN cmp_villages v ON v.village_id = f.village_id
    WHERE v.in_scope = 1)"""

# One row per held meeting. Participants are the members ticked present and the other
# residents counted by gender; vulnerable participants are youth members and the residents
# counted by vulnerable group. A first-time attendee is a member at their first held meeting.
HELD = """
INSERT INTO cmp_held (meeting_id, village_id, people, women, vulnerable, sectors, raised,
                      first_timers)
SELECT t.meeting_id, t.village_id,
       COALESCE(a.members, 0) + mt.other_men + mt.other_women,
       COALESCE(a.women, 0) + mt.other_women,
       COALESCE(a.youth, 0) + {vulnerable_others},
       COALESCE(a.sectors, 0),
       (SELECT COUNT(*) FROM forums_meetingproblem mp
        JOIN issues_problem p ON p.id = mp.problem_id
        WHERE mp.meeting_id = t.meeting_id AND mp.kind = %(raised)s AND NOT p.is_hidden),
       (SELECT COUNT(*) FROM cmp_first_meetings fm WHERE fm.meeting_id = t.meeting_id)
FROM cmp_meetings t
JOIN forums_meeting mt ON mt.id = t.meeting_id
LEFT JOIN (SELECT fa.meeting_id, COUNT(*) AS members,
                  SUM(CASE WHEN mb.gender = %(female)s THEN 1 ELSE 0 END) AS women,
                  SUM(CASE WHEN mb.sector = %(youth)s THEN 1 ELSE 0 END) AS youth,
                  COUNT(DISTINCT mb.sector) AS sectors
           FROM forums_attendance fa
           JOIN forums_member mb ON mb.id = fa.member_id
           JOIN cmp_meetings h ON h.meeting_id = fa.meeting_id AND h.status = %(held)s
           GROUP BY fa.meeting_id) a ON a.meeting_id = t.meeting_id
WHERE t.status = %(held)s
"""

MEETING_ROWS = DesaAggregate(
    select="""
SELECT m.village_id, t.held, t.decided, h.people, h.women, h.vulnerable, h.sectors, h.raised,
       h.first_timers
FROM cmp_month m
JOIN (SELECT village_id, SUM(CASE WHEN status = %(held)s THEN 1 ELSE 0 END) AS held,
             COUNT(*) AS decided
      FROM cmp_meetings GROUP BY village_id) t ON t.village_id = m.village_id
LEFT JOIN (SELECT village_id, SUM(people) AS people, SUM(women) AS women,
                  SUM(vulnerable) AS vulnerable, SUM(sectors) AS sectors, SUM(raised) AS raised,
                  SUM(first_timers) AS first_timers
           FROM cmp_held GROUP BY village_id) h ON h.village_id = m.village_id
WHERE m.in_scope = 1
""",
    columns=8,
    outputs={
        "meetings_held_pct": ("c1", "c2"),
        "attendance_mean": ("c3", "c1"),
        "women_pct": ("c4", "c3"),
        "vulnerable_pct": ("c5", "c3"),
        "sectors_mean": ("c6", "c1"),
        "problems_per_meeting": ("c7", "c1"),
        "first_time_attendees": ("c8", "c1"),
    },
)

FORUMS_MET = DesaAggregate(
    select="""
SELECT m.village_id,
       SUM(CASE WHEN EXISTS (
               SELECT 1 FROM forums_meeting h
               WHERE h.forum_id = f.id AND h.status = %(held)s
                 AND h.scheduled_at > m.since90 AND h.scheduled_at <= m.ref)
           THEN 1 ELSE 0 END),
       COUNT(*)
FROM forums_forum f JOIN cmp_month m ON m.village_id = f.village_id
WHERE m.in_scope = 1 AND f.created_at <= m.ref
GROUP BY m.village_id
""",
    columns=2,
    outputs={"forums_met_90d_pct": ("c1", "c2")},
)

# The previous held meeting's problems that were still open when it looked at them (what
# the agenda carries over), and how many of them came back on this meeting's agenda. A
# problem is on a meeting's agenda once (a unique constraint), so the LEFT JOIN finds one row
# or none; asked as EXISTS, PostgreSQL hashed all 1.7 M agenda rows for every month.
CARRIED = DesaAggregate(
    select="""
SELECT t.village_id, SUM(CASE WHEN r.id IS NOT NULL THEN 1 ELSE 0 END), COUNT(*)
FROM cmp_meetings t
JOIN forums_meetingproblem c ON c.meeting_id = t.prev_id
JOIN issues_problem p ON p.id = c.problem_id
LEFT JOIN forums_meetingproblem r ON r.meeting_id = t.meeting_id AND r.problem_id = c.problem_id
WHERE t.status = %(held)s AND NOT p.is_hidden AND c.status_at_meeting NOT IN {closed}
GROUP BY t.village_id
""",
    columns=2,
    outputs={"carried_reviewed_pct": ("c1", "c2")},
)


def _vulnerable_others() -> str:
    groups = [g for g in VulnerableGroup.values if g != VulnerableGroup.WOMEN]
    return " + ".join(sql.json_int("mt.other_by_group", group) for group in groups)


def first_meetings(cursor, *, everywhere: bool) -> None:
    """cmp_first_meetings, for every member (`everywhere`) or those of the desa in scope."""
    sql.clear(cursor, "cmp_first_meetings")
    members = "" if everywhere else MEMBERS_IN_SCOPE
    sql.run(cursor, FIRST_MEETINGS, {"held": Meeting.Status.HELD}, members=members)
    sql.analyze(cursor, "cmp_first_meetings")


def stage_desa(cursor, month: Month) -> None:
    month.params.update(CONSTANTS)
    sql.run(cursor, MEETINGS, month.params)
    sql.analyze(cursor, "cmp_meetings")
    sql.run(cursor, HELD, month.params, vulnerable_others=_vulnerable_others())
    staging.stage_desa(cursor, month, MEETING_ROWS)
    staging.stage_desa(cursor, month, FORUMS_MET)
    closed, closed_params = sql.in_list("closed", sorted(CLOSED_STATUSES))
    month.params.update(closed_params)
    staging.stage_desa(cursor, month, CARRIED, closed=closed)
