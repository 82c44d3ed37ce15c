from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal import demo


class Command(BaseCommand):
    help = (
        "Build a realistic demo Polres on the real territory (Kabupaten Bandung by default): "
        "Polsek, officers assigned to 2-3 desa each, a Kapolsek per Polsek, residents, problems "
        "in every SARA stage, visits and two years of FKPM meetings. "
        "Deterministic and idempotent; prints the demo logins."
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

    def handle(self, *args, **options):
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
            f"{report.created_visits} visits, {report.created_forums} forums."
        )
        self.stdout.write("Demo logins (password for all: " + demo.DEMO_PASSWORD + "):")
        for label, email in report.logins:
            self.stdout.write(f"  {label:<45} {email}")
