"""Demo data on the real territory: one Polres with its Polsek, officers and residents.

Deterministic (a seeded random generator, names from fixed lists) and idempotent (everything
is found by e-mail, NRP or a natural key before it is created). As the other apps arrive they
add their own part here: forums, meetings, problems, visits and crime figures.
"""

import datetime
import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from forums.demo import seed_forums
from issues.models import Category, Notification, Problem
from issues.services import problem_feedback, problem_file, problem_transition
from issues.workflow import Status
from officers.models import Assignment, Officer, Rank, Visit
from officers.services import assignment_create, staff_account_create
from territory.models import District, PoliceUnit, Regency, Village

DEMO_REGENCY = "32.04"  # Kabupaten Bandung, Jawa Barat
DEMO_PASSWORD = "polmas-demo-2026"
DEMO_DOMAIN = "polmas.test"
SEED = 2026

FIRST_NAMES = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hendra",
    "Iwan",
    "Joko",
    "Kurnia",
    "Lukman",
    "Maman",
    "Nanang",
    "Oman",
    "Pandu",
    "Rudi",
    "Asep",
    "Taufik",
    "Ujang",
    "Wawan",
    "Yusuf",
    "Zainal",
    "Dadang",
    "Cecep",
    "Yayan",
    "Rina",
    "Siti",
    "Dewi",
    "Euis",
    "Neneng",
]
LAST_NAMES = [
    "Saputra",
    "Hidayat",
    "Nugraha",
    "Permana",
    "Setiawan",
    "Kurniawan",
    "Gunawan",
    "Firmansyah",
    "Ramdani",
    "Sukmana",
    "Suherman",
    "Wibowo",
    "Santoso",
    "Pratama",
    "Maulana",
    "Hermawan",
    "Sopian",
    "Ruhiyat",
    "Supriatna",
    "Rahmat",
]
OFFICER_RANKS = [Rank.BRIPKA, Rank.AIPDA, Rank.AIPTU, Rank.BRIGPOL, Rank.BRIPTU]
UNASSIGNED_SHARE = 0.05  # a few desa without an officer, as in real life


@dataclass
class DemoReport:
    polres: PoliceUnit
    logins: list[tuple[str, str]] = field(default_factory=list)
    created_users: int = 0
    created_assignments: int = 0
    created_problems: int = 0
    created_visits: int = 0
    created_forums: int = 0
    computed_months: int = 0


class DemoTerritoryMissing(Exception):
    pass


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def _user(report: DemoReport, password_hash: str, *, email: str, **fields) -> User:
    """The demo account with this e-mail, created through the same service operators use."""
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    if fields.get("role") == User.Role.RESIDENT:
        user = User.objects.create_user(
            email=email, name=fields["name"], role=User.Role.RESIDENT, village=fields.get("village")
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        user = staff_account_create(actor=None, email=email, **fields)
    # One hash for every demo account: hashing 150 passwords one by one takes a minute.
    User.objects.filter(pk=user.pk).update(password=password_hash)
    report.created_users += 1
    return user


@transaction.atomic
def seed_demo(*, regency_code: str = DEMO_REGENCY, forums: bool = True) -> DemoReport:
    regency = Regency.objects.select_related("polres__parent").filter(code=regency_code).first()
    if regency is None or regency.polres is None:
        raise DemoTerritoryMissing(regency_code)
    rng = random.Random(SEED)
    names = _Names(rng)
    password_hash = make_password(DEMO_PASSWORD)
    polres = regency.polres
    report = DemoReport(polres=polres)

    def login(label: str, user: User) -> None:
        report.logins.append((label, user.email))

    # Another regency gets accounts of its own: its own e-mail domain and NRP range.
    domain = (
        DEMO_DOMAIN
        if regency.code == DEMO_REGENCY
        else (f"{regency.code.replace('.', '-')}.{DEMO_DOMAIN}")
    )
    regency_number = int(regency.code.replace(".", ""))

    def email(local: str) -> str:
        return f"{local}@{domain}"

    login(
        "Operator",
        _user(
            report,
            password_hash,
            email=f"operator@{DEMO_DOMAIN}",
            name="Operator Demo",
            role=User.Role.OPERATOR,
        ),
    )
    login(
        "Polda",
        _user(
            report,
            password_hash,
            email=email("polda"),
            name=names.person(),
            role=User.Role.POLDA_VIEWER,
            nrp=f"7{regency_number:04d}001",
            rank=Rank.KOMBES,
            unit=polres.parent,
        ),
    )
    login(
        "Kapolres",
        _user(
            report,
            password_hash,
            email=email("kapolres"),
            name=names.person(),
            role=User.Role.POLRES_COMMANDER,
            nrp=f"6{regency_number:04d}001",
            rank=Rank.AKBP,
            unit=polres,
        ),
    )
    login(
        "Polres staff",
        _user(
            report,
            password_hash,
            email=email("staf.polres"),
            name=names.person(),
            role=User.Role.POLRES_STAFF,
            nrp=f"6{regency_number:04d}002",
            rank=Rank.IPTU,
            unit=polres,
        ),
    )

    districts = District.objects.filter(regency=regency).select_related("polsek").order_by("code")
    officer_number = 0
    for district_number, district in enumerate(districts, start=1):
        polsek = district.polsek
        kapolsek = _user(
            report,
            password_hash,
            email=email(f"kapolsek{district_number}"),
            name=names.person(),
            role=User.Role.KAPOLSEK,
            nrp=f"5{regency_number:04d}{district_number:03d}",
            rank=Rank.AKP,
            unit=polsek,
        )
        if district_number == 1:
            login(f"Kapolsek ({polsek.name})", kapolsek)
        villages = list(Village.objects.filter(district=district).order_by("code"))
        # A few desa stay without an officer, as in real life; the rest are shared out.
        unassigned = {v.pk for v in villages[1:] if rng.random() < UNASSIGNED_SHARE}
        villages = [v for v in villages if v.pk not in unassigned]
        for group in _groups_of_two_or_three(villages, rng):
            officer_number += 1
            user = _user(
                report,
                password_hash,
                email=email(f"bhabin{officer_number}"),
                name=names.person(),
                role=User.Role.OFFICER,
                nrp=f"8{regency_number:04d}{officer_number:03d}",
                rank=rng.choice(OFFICER_RANKS),
                unit=polsek,
                phone=f"0812{rng.randrange(10**7, 10**8)}",
            )
            if officer_number == 1:
                login(f"Bhabinkamtibmas ({', '.join(v.name for v in group)})", user)
            officer = Officer.objects.get(user=user)
            for village in group:
                if Assignment.objects.filter(village=village).exists():
                    continue
                # Since two years, as the forums' history is: the trends start full.
                assignment_create(
                    actor=None,
                    officer=officer,
                    village=village,
                    is_primary=True,
                    starts_on=timezone.localdate() - datetime.timedelta(days=730),
                )
                report.created_assignments += 1

    _seed_problems(report, rng, regency)
    _seed_visits(report, rng, regency)
    home_villages = list(
        Village.objects.filter(district__regency=regency, assignments__isnull=False)
        .distinct()
        .order_by("code")[:5]
    )
    for number, village in enumerate(home_villages, start=1):
        resident = _user(
            report,
            password_hash,
            email=email(f"warga{number}"),
            name=names.person(),
            role=User.Role.RESIDENT,
            village=village,
        )
        if number == 1:
            login(f"Resident ({village.name})", resident)
            if not resident.reported_problems.exists():
                problem_file(
                    actor=resident,
                    village=village,
                    category=Category.objects.get(code="keributan"),
                    title="Knalpot brong tiap malam",
                    description="Motor berknalpot brong lewat gang kami setiap malam.",
                    consent=True,
                    reporter_named=True,
                )
                report.created_problems += 1
    if forums:
        # Two years of FKPM meetings; after the residents, who become forum secretaries.
        report.created_forums = seed_forums(regency=regency, rng=rng, now=timezone.now())
    # Last, so the indicators are computed from everything above. (Imported here: the
    # metrics demo borrows portal.synthetic's sampling, which imports this module.)
    from metrics.demo import seed_metrics

    villages = list(Village.objects.filter(district__regency=regency))
    report.computed_months = seed_metrics(villages=villages, rng=rng)
    return report


PROBLEMS = [
    (
        "pencurian",
        "Motor hilang di depan pos ronda",
        "Sepeda motor warga hilang dari depan pos ronda tadi malam sekitar pukul 02.00.",
    ),
    (
        "narkoba",
        "Dugaan transaksi narkoba di warung kosong",
        "Sering ada orang asing berkumpul di warung kosong dekat sawah setiap malam.",
    ),
    (
        "tawuran",
        "Tawuran pelajar di jembatan",
        "Dua kelompok pelajar saling lempar batu di jembatan setelah pulang sekolah.",
    ),
    (
        "kenakalan-remaja",
        "Balap liar di jalan desa",
        "Remaja balap liar setiap malam Minggu, warga terganggu dan khawatir ada kecelakaan.",
    ),
    (
        "perjudian",
        "Judi sabung ayam di kebun",
        "Ada sabung ayam dengan taruhan di kebun belakang balai desa setiap Sabtu sore.",
    ),
    (
        "minuman-keras",
        "Pesta miras di lapangan",
        "Sekelompok pemuda minum minuman keras di lapangan sampai larut malam.",
    ),
    (
        "lalu-lintas",
        "Parkir liar menutup jalan pasar",
        "Truk parkir di bahu jalan dekat pasar sehingga jalan macet setiap pagi.",
    ),
    (
        "sengketa-tanah",
        "Sengketa batas kebun antarwarga",
        "Dua keluarga bersengketa soal batas kebun dan hampir terjadi perkelahian.",
    ),
    (
        "penipuan-daring",
        "Penipuan undian lewat WhatsApp",
        "Beberapa warga lansia menerima pesan undian palsu dan diminta mentransfer uang.",
    ),
    (
        "keributan",
        "Suara musik keras tengah malam",
        "Hajatan dengan musik keras sampai pukul 03.00 tanpa izin lingkungan.",
    ),
    (
        "orang-mencurigakan",
        "Orang asing memotret rumah warga",
        "Dua orang tidak dikenal berkeliling memotret rumah-rumah di RT 02.",
    ),
    (
        "kdrt",
        "Dugaan kekerasan dalam rumah tangga",
        "Sering terdengar teriakan dan tangisan dari rumah tetangga pada malam hari.",
    ),
]
# The path each demo problem takes through the SARA cycle: every stage and exit appears.
PATHS = [
    [],
    [Status.VERIFIED],
    [Status.VERIFIED, Status.ANALYSIS],
    [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE],
    [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT],
    [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT, Status.RESOLVED],
    [Status.REJECTED],
    [Status.VERIFIED, Status.REFERRED],
    [
        Status.VERIFIED,
        Status.ANALYSIS,
        Status.RESPONSE,
        Status.ASSESSMENT,
        Status.RESOLVED,
        "feedback-no",
    ],
    [Status.DUPLICATE],
]
NOTES = {
    Status.VERIFIED: "Sudah dicek ke lokasi bersama ketua RT.",
    Status.ANALYSIS: "Dibahas bersama FKPM: penyebab dan pihak yang terlibat sudah dipetakan.",
    Status.RESPONSE: "Patroli bersama warga dan Babinsa, mediasi dengan pihak terkait.",
    Status.ASSESSMENT: "Dua minggu tanpa kejadian baru; dipantau bersama warga.",
    Status.RESOLVED: "Masalah selesai menurut warga dan FKPM.",
    Status.REJECTED: "Bukan masalah kamtibmas; disarankan ke kantor desa.",
    Status.REFERRED: "Perkara pidana, dirujuk ke Satreskrim.",
}


def _seed_problems(report: DemoReport, rng: random.Random, regency: Regency) -> None:
    """Problems across every SARA stage in the assigned desa of the demo Polres, filed over the
    last three months. Skipped when the Polres already has problems (the seed is idempotent)."""
    if Problem.objects.filter(village__district__regency=regency).exists():
        return
    categories = {c.code: c for c in Category.objects.all()}
    assignments = list(
        Assignment.objects.filter(village__district__regency=regency, is_primary=True)
        .select_related("officer__user", "village")
        .order_by("village__code")
    )
    now = timezone.now()
    for number, assignment in enumerate(assignments[::3]):
        code, title, description = PROBLEMS[number % len(PROBLEMS)]
        path = PATHS[number % len(PATHS)]
        filed_at = now - datetime.timedelta(days=rng.randint(3, 90), hours=rng.randint(0, 23))

        def file(
            at, *, village=assignment.village, code=code, title=title, description=description
        ):
            return problem_file(
                actor=None,
                village=village,
                category=categories[code],
                title=title,
                description=description,
                consent=True,
                location_text=f"RT 0{rng.randint(1, 9)}",
                contact_phone=f"0813{rng.randrange(10**7, 10**8)}",
                now=at,
                vulnerable_groups=rng.sample(["youth", "women", "elderly", "children"], k=1),
            ).problem

        original = file(filed_at - datetime.timedelta(days=1)) if Status.DUPLICATE in path else None
        problem = file(filed_at)
        _walk(
            problem,
            path,
            officer=assignment.officer.user,
            original=original,
            rng=rng,
            start=filed_at,
            now=now,
        )
        report.created_problems += 1 + (original is not None)
    # Demo mail is not sent: the notifications are marked as already delivered.
    Notification.objects.filter(
        problem__village__district__regency=regency, sent_at__isnull=True
    ).update(sent_at=now)


def _seed_visits(report: DemoReport, rng: random.Random, regency: Regency) -> None:
    """Three months of sambang: most desa visited every week or two, a few neglected (they
    show as needing attention). Bulk-created: services check one visit at a time."""
    if Visit.objects.filter(village__district__regency=regency).exists():
        return
    now = timezone.now()
    assignments = (
        Assignment.objects.filter(village__district__regency=regency, ends_on__isnull=True)
        .select_related("officer")
        .order_by("village__code")
    )
    visits = []
    for assignment in assignments:
        if rng.random() < 0.08:
            continue  # neglected desa: no visit at all
        day = rng.randint(0, 10)
        while day < 90:
            visits.append(
                Visit(
                    officer=assignment.officer,
                    village=assignment.village,
                    visited_at=now - datetime.timedelta(days=day, hours=rng.randint(1, 10)),
                    kind=rng.choice(Visit.Kind.values),
                    households=rng.randint(1, 12),
                    people=rng.randint(1, 30),
                    groups_reached=sorted(
                        rng.sample(
                            ["women", "youth", "elderly", "disability", "minority"],
                            k=rng.randint(0, 2),
                        )
                    ),
                    notes=rng.choice(VISIT_NOTES),
                )
            )
            day += rng.randint(4, 16)
    Visit.objects.bulk_create(visits, batch_size=1000)
    report.created_visits += len(visits)


VISIT_NOTES = [
    "Sambang ke rumah warga RT 02, menyampaikan imbauan kamtibmas.",
    "Patroli malam bersama pos ronda.",
    "Silaturahmi dengan tokoh agama membahas kenakalan remaja.",
    "Penyuluhan bahaya narkoba di sekolah.",
    "Mediasi sengketa batas tanah antartetangga.",
    "Tindak lanjut laporan pencurian, mengecek lokasi bersama ketua RT.",
    "",
]


def _walk(problem, path, *, officer, original, rng, start, now) -> None:
    moment = start
    for step in path:
        moment = min(moment + datetime.timedelta(hours=rng.randint(4, 96)), now)
        problem.refresh_from_db()
        if step == "feedback-no":
            problem_feedback(
                problem=problem, solved=False, rating=2, comment="Masih terjadi lagi minggu ini."
            )
        elif step == Status.DUPLICATE:
            problem_transition(
                actor=officer, problem=problem, to_status=step, duplicate_of=original, now=moment
            )
        else:
            problem_transition(
                actor=officer,
                problem=problem,
                to_status=step,
                note=NOTES[step],
                is_public=True,
                now=moment,
                referred_to="Satreskrim Polres" if step == Status.REFERRED else "",
            )


def _groups_of_two_or_three(villages: list, rng: random.Random) -> list[list]:
    """Split a kecamatan's desa into groups of two or three, one officer each (in 2023 about
    38,500 Bhabinkamtibmas served about 83,400 desa)."""
    groups, rest = [], list(villages)
    while rest:
        size = 3 if len(rest) in (3, 5) else rng.choice([2, 3])
        size = min(size, len(rest))
        groups.append(rest[:size])
        rest = rest[size:]
    return groups
