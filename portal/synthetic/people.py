"""Police accounts: a Polda viewer, a Polres commander and a Kapolsek for every unit of the
scope, and Bhabinkamtibmas sharing out each Polsek's desa (one to three desa each, about one
officer per two desa as in 2023: ~38,500 officers for ~83,400 desa) with two years of
assignment history: steady postings, rotations, desa newly covered, desa that lost their
officer, and desa that never had one."""

import datetime
import random
from dataclasses import dataclass

from accounts.models import User
from officers.models import Rank
from portal.demo import FIRST_NAMES, LAST_NAMES

from .context import DAY, REMOTE_PROVINCES, Assignment, Desa, Run, clamp, local_to_utc

EMAIL_DOMAIN = "scale.polmas.test"
NRP_PREFIX = "9"  # the demo's NRPs start with 5-8: synthetic ones never collide with them
OFFICER_RANKS = [Rank.BRIPKA, Rank.AIPDA, Rank.AIPTU, Rank.BRIGPOL, Rank.BRIPTU, Rank.BRIPDA]
# How a covered desa's posting evolved over the window (shares of covered desa).
HISTORIES = [("steady", 82), ("rotated", 8), ("new", 6), ("lost", 4)]
# An officer serves one, two or three desa; 1.9 desa on average.
GROUP_SIZES = ([1, 2, 3], [35, 40, 25])

USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "name",
    "role",
    "village_id",
)
OFFICER_COLUMNS = ("id", "user_id", "nrp", "rank", "unit_id", "phone", "photo")
# Sign-in needs a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory"): an operator
# creating a police account marks it verified, and so does the generator.
EMAIL_COLUMNS = ("id", "user_id", "email", "verified", "primary")
ASSIGNMENT_COLUMNS = ("id", "officer_id", "village_id", "is_primary", "starts_on", "ends_on")


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    kind: str
    parent_id: int | None


class People:
    def __init__(self, run: Run, *, password_hash: str, nrp_start: int):
        self.run = run
        self.password_hash = password_hash
        self.nrp = iter(range(nrp_start, 10**7))
        self.officers = 0

    def person(self, rng: random.Random) -> str:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    def account(
        self, rng, *, role: str, unit_id: int, rank: str, joined: datetime.datetime
    ) -> tuple[int, int, str]:
        """A user with its officer profile; returns (user id, officer id, display name)."""
        run = self.run
        nrp = f"{NRP_PREFIX}{next(self.nrp):07d}"
        name = self.person(rng)
        user_id = next(run.ids["user"])
        officer_id = next(run.ids["officer"])
        email = f"{role.replace('_', '.')}.{nrp}@{EMAIL_DOMAIN}"
        run.loader.add(
            "user",
            (
                user_id,
                self.password_hash,
                None,
                False,
                False,
                True,
                joined,
                email,
                name,
                role,
                None,
            ),
        )
        run.loader.add("email", (next(run.ids["email"]), user_id, email, True, True))
        phone = f"0812{rng.randrange(10**7, 10**8)}"
        run.loader.add("officer", (officer_id, user_id, nrp, rank, unit_id, phone, ""))
        run.officer_names[officer_id] = f"{Rank(rank).label} {name}"
        return user_id, officer_id, name


def attention(run: Run, desas: list[Desa], units: dict[int, Unit]) -> None:
    """How much attention each desa gets: a Polres's command quality (remote provinces
    lower), a Polsek's own factor and the desa's noise. Everything downstream follows it."""
    quality: dict[int, float] = {}
    for desa in desas:
        polsek = units[desa.polsek_id]
        if polsek.id not in quality:
            polres = units.get(polsek.parent_id) if polsek.parent_id else None
            polres_code = polres.code if polres else polsek.code
            base = run.rng("polres", polres_code).betavariate(5, 2)
            if desa.code[:2] in REMOTE_PROVINCES:
                base *= 0.7
            quality[polsek.id] = base * run.rng("polsek", polsek.code).uniform(0.8, 1.15)
        noise = run.rng("attention", desa.code).gauss(0, 0.14)
        desa.attention = clamp(quality[polsek.id] + noise, 0.02, 1.0)


def seed_leaders(
    people: People, units: dict[int, Unit], polsek_ids: set[int], *, polda: bool
) -> dict[int, int]:
    """A Polres commander and a Kapolsek per unit, and with `polda` a Polda viewer; returns
    the Kapolsek's user id per Polsek (who acts on problems of a desa without an officer)."""
    run = people.run
    joined = run.window_start - datetime.timedelta(days=400)
    polres_ids = {units[i].parent_id for i in polsek_ids if units[i].parent_id}
    polda_ids = {units[i].parent_id for i in polres_ids if units[i].parent_id} if polda else set()
    kapolsek = {}
    plan = [
        (polda_ids, User.Role.POLDA_VIEWER, Rank.KOMBES),
        (polres_ids, User.Role.POLRES_COMMANDER, Rank.AKBP),
        (polsek_ids, User.Role.KAPOLSEK, Rank.AKP),
    ]
    for ids, role, rank in plan:
        for unit in sorted((units[i] for i in ids), key=lambda u: u.code):
            rng = run.rng("leader", unit.code)
            user_id, _officer, _name = people.account(
                rng, role=role, unit_id=unit.id, rank=rank, joined=joined
            )
            if role == User.Role.KAPOLSEK:
                kapolsek[unit.id] = user_id
    return kapolsek


def seed_officers(people: People, polsek: Unit, desas: list[Desa]) -> None:
    """Share out the Polsek's desa among its Bhabinkamtibmas and write their assignments."""
    run = people.run
    rng = run.rng("officers", polsek.code)
    first, last = run.window_start.date() + 30 * DAY, run.today - 14 * DAY
    first = min(first, last)  # a window of a month or two
    histories, neglected = {}, []
    for desa in desas:
        # A desa with little attention is more often left without any officer at all; in
        # Papua and Maluku many are (distance, terrain, too few officers).
        neglect = 0.02 + 0.25 * (1 - desa.attention) ** 3
        if desa.code[:2] in REMOTE_PROVINCES:
            neglect += 0.12
        if rng.random() < neglect:
            neglected.append(desa)
            continue
        history = rng.choices([h for h, _ in HISTORIES], [w for _, w in HISTORIES])[0]
        change = first + (last - first) * rng.random() if history != "steady" else None
        histories[desa.id] = (history, change)
    current = [d for d in desas if d.id in histories]
    # Former officers (transferred since): the earlier half of rotated desa, and lost desa.
    former = [d for d in current if histories[d.id][0] in ("rotated", "lost")]
    for group in _groups([d for d in current if histories[d.id][0] != "lost"], rng):
        _posting(people, rng, polsek, group, histories, previous=False)
    for group in _groups(former, rng):
        _posting(people, rng, polsek, group, histories, previous=True)
    for desa in desas:
        desa.assignments.sort(key=lambda a: a.starts_on)


def _posting(people: People, rng, polsek: Unit, group, histories, *, previous: bool) -> None:
    run = people.run
    starts = {}
    for desa in group:
        history, change = histories[desa.id]
        if previous or history == "steady":
            starts[desa.id] = run.window_start.date() - rng.randint(30, 1500) * DAY
        else:
            starts[desa.id] = change
    joined = local_to_utc(min(starts.values()) - 7 * DAY, datetime.time(8, 0), group[0].offset)
    user_id, officer_id, _name = people.account(
        rng,
        role=User.Role.OFFICER,
        unit_id=polsek.id,
        rank=rng.choice(OFFICER_RANKS),
        joined=joined,
    )
    people.officers += 1
    for desa in group:
        ends_on = histories[desa.id][1] - DAY if previous else None
        if ends_on is not None and ends_on < starts[desa.id]:
            ends_on = starts[desa.id]
        assignment = Assignment(officer_id, user_id, starts[desa.id], ends_on)
        desa.assignments.append(assignment)
        run.loader.add(
            "assignment",
            (next(run.ids["assignment"]), officer_id, desa.id, True, starts[desa.id], ends_on),
        )


def _groups(desas: list[Desa], rng: random.Random) -> list[list[Desa]]:
    groups, rest = [], list(desas)
    while rest:
        size = min(rng.choices(*GROUP_SIZES)[0], len(rest))
        groups.append(rest[:size])
        rest = rest[size:]
    return groups
