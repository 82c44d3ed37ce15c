from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal import demo, synthetic


class Command(BaseCommand):
    help = (
        "Build a realistic demo Polres on the real territory (Kabupaten Bandung by default): "
        "Polsek, officers assigned to 2-3 desa each, a Kapolsek per Polsek, residents, problems "
        "in every SARA stage, visits and two years of FKPM meetings. "
        "Deterministic and idempotent; prints the demo logins. "
        "With --scale: synthetic activity for load tests instead (docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--regency",
            default=demo.DEMO_REGENCY,
            help="Code of the kabupaten/kota to build the Polres on.",
        )
        parser.add_argument(
            "--without-forums",
            action="store_true",
            help="Skip the two years of forum meetings (the slowest part).",
        )
        parser.add_argument(
            "--scale",
            choices=synthetic.SCALES,
            help="Synthetic activity on every desa of the Polres of --regency, of its province, "
            "or of the whole country (millions of rows; COPY on PostgreSQL). Imports the "
            "territory first. Refuses when the scope has activity already (see --replace).",
        )
        parser.add_argument(
            "--months", type=int, default=24, help="With --scale: months of history (24)."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="With --scale: the random seed (2026)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="With --scale: first delete ALL activity of the scope's desa and its synthetic "
            "accounts. For benchmark databases only.",
        )

    def handle(self, *args, **options):
        if options["scale"]:
            return self.handle_scale(options)
        arguments = {"regency_code": options["regency"], "forums": not options["without_forums"]}
        try:
            report = demo.seed_demo(**arguments)
        except demo.DemoTerritoryMissing:
            self.stdout.write(f"Importing the territory of {options['regency']} first…")
            call_command("import_territory", regency=options["regency"], verbosity=0)
            report = demo.seed_demo(**arguments)
        self.stdout.write(
            f"Demo {report.polres.name} created: {report.created_users} accounts, "
            f"{report.created_assignments} assignments, {report.created_problems} problems, "
            f"{report.created_visits} visits, {report.created_forums} forums; "
            f"indicators computed for {report.computed_months} months."
        )
        self.stdout.write("Demo logins (password for all: " + demo.DEMO_PASSWORD + "):")
        for label, email in report.logins:
            self.stdout.write(f"  {label:<45} {email}")

    def handle_scale(self, options):
        scale, regency = options["scale"], options["regency"]
        # A no-op where the territory is there already (1-2 s for the whole country).
        territory = {"polres": {"regency": regency}, "province": {"province": regency[:2]}}
        call_command("import_territory", verbosity=0, **territory.get(scale, {}))
        try:
            report = synthetic.seed_scale(
                scale=scale,
                regency_code=regency,
                months=options["months"],
                seed=options["seed"],
                replace=options["replace"],
                progress=options["verbosity"] > 0,
            )
        except (synthetic.SyntheticDataExists, synthetic.TerritoryMissing, ValueError) as error:
            raise CommandError(f"Nothing generated: {error}.") from error
        for line in synthetic.report_lines(report):
            self.stdout.write(line)
