"""Problems of a desa through the SARA cycle: filed by residents (or raised at the forum),
acted on by the desa's officer (or, where there is none, slowly by the Kapolsek), moved stage
by stage with every transition written as a ProblemEvent, resolved ones asked "is it fixed?",
a "no" reopening them. Rates and speeds follow the desa's attention.

The invariants the services keep hold here too: first_action_at ≥ created_at and equal to
the first officer event, resolved_at on every resolved problem, feedback_requested_at four
weeks after the last resolution, duplicate_of and referred_to on those exits only, only the
transitions of `issues.workflow.TRANSITIONS`, and no event after `now`."""

import bisect
import datetime
import random

from issues.models import Problem, ProblemEvent
from issues.workflow import Status
from portal.demo import NOTES, PROBLEMS

from .context import DAY, HOUR, Desa, Run, local_day, poisson

EVENT_COLUMNS = (
    "id",
    "problem_id",
    "kind",
    "actor_id",
    "by_reporter",
    "from_status",
    "to_status",
    "note",
    "is_public",
    "is_hidden",
    "created_at",
)
PROBLEM_COLUMNS = (
    "id",
    "reference",
    "village_id",
    "category_id",
    "title",
    "description",
    "occurred_at",
    "location_text",
    "latitude",
    "longitude",
    "vulnerable_groups",
    "reporter_id",
    "reporter_named",
    "contact_name",
    "contact_phone",
    "contact_email",
    "consent_at",
    "tracking_code_hash",
    "is_private",
    "source",
    "status",
    "assigned_to_id",
    "duplicate_of_id",
    "referred_to",
    "resolution",
    "is_hidden",
    "created_at",
    "updated_at",
    "first_action_at",
    "resolved_at",
    "feedback_requested_at",
)
FEEDBACK_COLUMNS = ("id", "problem_id", "solved", "rating", "comment", "created_at")

# Reports per desa and month before the desa's own factors: towns report more.
RATE_DESA, RATE_KELURAHAN = 0.45, 1.2
CATEGORY_WEIGHTS = {
    "pencurian": 20,
    "narkoba": 8,
    "tawuran": 6,
    "kdrt": 5,
    "kekerasan-seksual": 1.5,
    "perlindungan-anak": 1.5,
    "kenakalan-remaja": 12,
    "perjudian": 5,
    "minuman-keras": 7,
    "lalu-lintas": 9,
    "sengketa-tanah": 6,
    "penipuan-daring": 8,
    "keributan": 10,
    "orang-mencurigakan": 6,
    "lainnya": 4,
}
TEXTS = {code: (title, text) for code, title, text in PROBLEMS} | {
    "kekerasan-seksual": (
        "Dugaan pelecehan terhadap remaja",
        "Seorang remaja putri diganggu orang dewasa di jalan menuju sekolah.",
    ),
    "perlindungan-anak": (
        "Anak ditelantarkan",
        "Dua anak kecil sering dibiarkan sendirian di rumah selama berhari-hari.",
    ),
    "lainnya": ("Gangguan di lingkungan", "Warga melaporkan gangguan ketertiban di lingkungan."),
}
GENERIC_TEXT = ("Masalah kamtibmas", "Warga melaporkan masalah keamanan di lingkungan.")
VULNERABLE = ['["youth"]', '["children"]', '["women"]', '["elderly"]', '["children", "women"]']
REOPEN_NOTE = "Pelapor menyatakan masalah belum selesai."
# (next stage, mean days in the stage before it at full attention)
STAGES = [
    (Status.ANALYSIS, 1.5),
    (Status.RESPONSE, 3.0),
    (Status.ASSESSMENT, 8.0),
    (Status.RESOLVED, 6.0),
]
ASK_AFTER = datetime.timedelta(weeks=4)


class Record:
    """What the forum part needs to know of a problem: when it was filed, whether it may
    appear on an agenda, and its status over time."""

    __slots__ = ("created_at", "id", "linkable", "statuses", "times")

    def __init__(self, problem_id: int, created_at: datetime.datetime, linkable: bool):
        self.id = problem_id
        self.created_at = created_at
        self.linkable = linkable
        self.times = [created_at]
        self.statuses = [Status.NEW.value]

    def status_at(self, moment: datetime.datetime) -> str:
        return self.statuses[bisect.bisect_right(self.times, moment) - 1]

    @property
    def status(self) -> str:
        return self.statuses[-1]


class _Timeline:
    """One problem's walk: collects the events and the problem's final fields."""

    def __init__(self, gen: "Problems", record: Record, rng: random.Random, attention: float):
        self.gen, self.record, self.rng, self.attention = gen, record, rng, attention
        self.status = Status.NEW.value
        self.last = record.created_at
        self.first_action_at = None
        self.resolved_at = None
        self.asked_at = None
        self.duplicate_of = None
        self.referred_to = ""
        self.resolution = ""
        self.mediated = False

    def event(self, kind, at, *, actor=None, by_reporter=False, to="", note="", public=False):
        from_status = self.status if kind == ProblemEvent.Kind.TRANSITION else ""
        self.gen.run.loader.add(
            "event",
            (
                next(self.gen.run.ids.event),
                self.record.id,
                kind,
                actor,
                by_reporter,
                from_status,
                to,
                note,
                public,
                False,
                at,
            ),
        )
        self.last = max(self.last, at)

    def move(self, to: str, at: datetime.datetime, actor: int | None, note: str = "") -> None:
        self.event(
            ProblemEvent.Kind.TRANSITION,
            at,
            actor=actor,
            by_reporter=actor is None,
            to=to,
            note=note or NOTES.get(to, ""),
            public=True,
        )
        if actor is not None and self.first_action_at is None:
            self.first_action_at = at
        self.status = to
        self.record.times.append(at)
        self.record.statuses.append(to)
        if to == Status.RESOLVED:
            self.resolved_at, self.asked_at = at, None
            self.resolution = self._resolution()

    def _resolution(self) -> str:
        """How it was solved: mediation and community action more often where the forum and
        the officer are active (the indicator of community self-reliance counts them)."""
        attention, draw = self.attention, self.rng.random()
        if self.mediated and draw < 0.5:
            return Problem.Resolution.MEDIATION.value
        shares = [
            (Problem.Resolution.MEDIATION.value, 0.04 + 0.1 * attention),
            (Problem.Resolution.COMMUNITY_ACTION.value, 0.05 + 0.15 * attention),
            (Problem.Resolution.REFERRAL.value, 0.03),
            (Problem.Resolution.OTHER.value, 0.05),
        ]
        for resolution, share in shares:
            if draw < share:
                return resolution
            draw -= share
        return Problem.Resolution.POLICE_ACTION.value


class Problems:
    def __init__(self, run: Run, categories: list[tuple[int, str, bool]], visits):
        self.run = run
        self.visits = visits  # activity.Visits: follow-up and mediation visits
        self.categories = categories
        self.public_categories = [c for c in categories if not c[2]]
        self.weights = [CATEGORY_WEIGHTS.get(code, 3) for _id, code, _private in categories]
        self.month_seconds = 30.44 * 86400

    def for_desa(self, desa: Desa, rng: random.Random) -> list[Record]:
        """The residents' reports of the window, oldest first."""
        run = self.run
        base = RATE_KELURAHAN if desa.is_kelurahan else RATE_DESA
        # Trust makes people report: more reports where the police pay attention.
        rate = base * rng.lognormvariate(0, 0.5) * (0.6 + 0.8 * desa.attention)
        records: list[Record] = []
        months = run.months()
        for index, month in enumerate(months):
            start = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
            start -= desa.offset
            end = min((start + 32 * DAY).replace(day=1) - desa.offset, run.now)
            span = (end - start).total_seconds()
            if span <= 0:
                continue
            trend = 1 + 0.4 * (desa.attention - 0.5) * index / len(months)
            count = poisson(rng, rate * trend * span / self.month_seconds)
            offsets = sorted(rng.random() * span for _ in range(count))
            for seconds in offsets:
                created = start + datetime.timedelta(seconds=seconds)
                category = rng.choices(self.categories, self.weights)[0]
                records.append(self.file(desa, rng, created, category, recent=records))
        return records

    def raise_at_meeting(self, desa, rng, created, *, reporter_id, recent) -> Record:
        category = rng.choice(self.public_categories)
        return self.file(desa, rng, created, category, recent=recent, reporter_id=reporter_id)

    def file(self, desa, rng, created, category, *, recent, reporter_id=None) -> Record:
        always_private = category[2]
        problem_id = next(self.run.ids.problem)
        is_private = always_private or rng.random() < 0.12
        is_hidden = rng.random() < 0.003  # spam an operator hid
        record = Record(problem_id, created, linkable=not (is_private or is_hidden))
        line = _Timeline(self, record, rng, desa.attention)
        line.event(
            ProblemEvent.Kind.FILED,
            created,
            actor=reporter_id,
            by_reporter=True,
            to=Status.NEW,
            public=True,
        )
        assigned = self._work(desa, rng, line, recent)
        self._write(desa, rng, line, category, reporter_id, is_private, is_hidden, assigned)
        return record

    def _work(self, desa: Desa, rng, line: _Timeline, recent: list[Record]) -> int | None:
        """First action, then the SARA stages until an exit, a stall or `now`. Returns the
        assigned officer's id."""
        run, attention = self.run, desa.attention
        created = line.record.created_at
        officer = desa.officer_on(local_day(created, desa.offset))
        actor = officer.user_id if officer else desa.kapolsek_user_id
        median_hours = 3 + 100 * (1 - attention) ** 2
        if officer is None:
            median_hours *= 3
            if rng.random() < 0.35 or actor is None:
                return None  # nobody ever picked it up
        first = created + HOUR * median_hours * rng.lognormvariate(0, 1.0)
        if first > run.now:
            return None
        if officer is not None:
            name = run.officer_names.get(officer.officer_id, "")
            line.event(
                ProblemEvent.Kind.ASSIGNMENT, first, actor=actor, note=f"Ditugaskan kepada {name}"
            )
            line.first_action_at = first
        exit_draw = rng.random()
        if exit_draw < 0.06:
            line.move(Status.REJECTED, first, actor)
            return officer and officer.officer_id
        if exit_draw < 0.10:
            target = next(
                (
                    r
                    for r in reversed(recent)
                    if r.created_at >= created - 14 * DAY and r.status != Status.DUPLICATE
                ),
                None,
            )
            if target is not None:
                line.duplicate_of = target.id
                line.move(Status.DUPLICATE, first, actor)
                return officer and officer.officer_id
        line.move(Status.VERIFIED, first, actor)
        self._stages(desa, rng, line, actor, officer)
        return officer and officer.officer_id

    def _stages(self, desa: Desa, rng, line: _Timeline, actor, officer) -> None:
        run = self.run
        slowness = 0.5 + 2.0 * (1 - desa.attention)
        stalls = rng.random() < 0.04 + 0.2 * (1 - desa.attention)
        stall_at = rng.choice(STAGES)[0] if stalls else None
        at = line.last
        for stage, mean_days in STAGES:
            if stage == stall_at:
                return  # stuck: the problem stays open in the stage before
            at += DAY * rng.expovariate(1 / (mean_days * slowness))
            if at > run.now:
                return
            if stage in (Status.RESPONSE, Status.ASSESSMENT) and rng.random() < 0.04:
                line.move(Status.REFERRED, at, actor)
                line.referred_to = rng.choice(["Satreskrim Polres", "Unit PPA Polres"])
                return
            if stage == Status.RESOLVED and rng.random() < 0.1:
                # The assessment found the response did not work: back to response once.
                line.move(Status.RESPONSE, at, actor, "Evaluasi: penanganan belum berhasil.")
                at += DAY * rng.expovariate(1 / (5 * slowness))
                if at > run.now:
                    return
                line.move(Status.ASSESSMENT, at, actor)
                at += DAY * rng.expovariate(1 / (4 * slowness))
                if at > run.now:
                    return
            line.move(stage, at, actor)
            if stage == Status.RESPONSE and officer is not None:
                self._follow_up(desa, rng, line, officer, at)
        self._feedback(desa, rng, line, actor)

    def _follow_up(self, desa, rng, line: _Timeline, officer, at) -> None:
        """Community action: a mediation or follow-up visit during the response."""
        if rng.random() < 0.3 + 0.35 * desa.attention:
            when = at + HOUR * rng.uniform(2, 72)
            if when <= self.run.now:
                kind = "mediation" if rng.random() < 0.4 else "follow_up"
                line.mediated = kind == "mediation"
                self.visits.visit(desa, rng, officer, when, kind=kind, problem_id=line.record.id)

    def _feedback(self, desa: Desa, rng, line: _Timeline, actor) -> None:
        run = self.run
        resolved = line.resolved_at
        if resolved + ASK_AFTER <= run.now:
            line.asked_at = resolved + ASK_AFTER
        if rng.random() > 0.3 + 0.2 * desa.attention:
            return
        early = rng.random() < 0.4  # read it on the tracking page before the e-mail came
        answered = resolved + (
            DAY * rng.uniform(1, 7) if early else ASK_AFTER + DAY * rng.uniform(0.2, 10)
        )
        if answered > run.now:
            return
        solved = rng.random() < 0.65 + 0.3 * desa.attention
        rating = rng.choice([3, 4, 4, 5, 5]) if solved else rng.choice([1, 2, 2, 3])
        comment = "" if rng.random() < 0.6 else ("Terima kasih." if solved else "Masih terjadi.")
        run.loader.add(
            "feedback",
            (next(run.ids["feedback"]), line.record.id, solved, rating, comment, answered),
        )
        to = Status.RESOLVED if solved else Status.REOPENED
        line.event(ProblemEvent.Kind.FEEDBACK, answered, by_reporter=True, to=to, note=comment)
        if solved:
            return
        line.move(Status.REOPENED, answered, None, REOPEN_NOTE)
        at = answered
        for stage, mean_days in (
            (Status.RESPONSE, 2),
            (Status.ASSESSMENT, 6),
            (Status.RESOLVED, 5),
        ):
            at += DAY * rng.expovariate(1 / (mean_days * (0.5 + 2.0 * (1 - desa.attention))))
            if at > run.now:
                return
            line.move(stage, at, actor)
        if at + ASK_AFTER <= run.now:
            line.asked_at = at + ASK_AFTER

    def _write(self, desa, rng, line, category, reporter_id, is_private, is_hidden, assigned):
        category_id, code, _private = category
        created = line.record.created_at
        title, description = TEXTS.get(code, GENERIC_TEXT)
        anonymous = reporter_id is None
        self.run.loader.add(
            "problem",
            (
                line.record.id,
                f"KMT-{created.year}-{line.record.id:06d}",
                desa.id,
                category_id,
                title,
                description,
                created - HOUR * rng.uniform(0.5, 48) if rng.random() < 0.8 else None,
                f"RT {rng.randint(1, 12):02d} / RW {rng.randint(1, 8):02d}",
                None,
                None,
                rng.choice(VULNERABLE) if rng.random() < 0.4 else "[]",
                reporter_id,
                not anonymous,
                rng.choice(["Warga", "Ketua RT", ""]) if anonymous else "",
                f"0813{rng.randrange(10**7, 10**8)}" if anonymous and rng.random() < 0.6 else "",
                "",
                created,
                f"{rng.getrandbits(256):064x}",
                is_private,
                Problem.Source.WEB if anonymous else Problem.Source.FORUM,
                line.status,
                assigned,
                line.duplicate_of,
                line.referred_to,
                line.resolution,
                is_hidden,
                created,
                line.last,
                line.first_action_at,
                line.resolved_at,
                line.asked_at if line.status == Status.RESOLVED else None,
            ),
        )
