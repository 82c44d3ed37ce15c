from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from territory.population import population_import


class Command(BaseCommand):
    # Help text stays in English like Django's own commands; what the import prints is translated.
    help = (
        "Set the population of desa from a CSV or XLSX file with the columns kode_desa and "
        "penduduk (Dukcapil's or BPS's figures), for crimes per 10,000 residents. All or "
        "nothing: bad rows are listed on stderr and nothing is written (exit status 1). A desa "
        "the file does not name keeps its population; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE", help="A .csv or .xlsx file.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            result = population_import(name=path.name, content=path.read_bytes())
        except OSError as error:
            raise CommandError(error) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for bad in result.bad_rows:
            self.stderr.write(
                _("Line %(line)s: %(reason)s") % {"line": bad.line, "reason": bad.reason}
            )
        if not result.ok:
            if result.unlisted:
                self.stderr.write(_("… and %(count)d more bad rows.") % {"count": result.unlisted})
            raise CommandError(
                ngettext(
                    "%(count)d bad row: nothing was imported.",
                    "%(count)d bad rows: nothing was imported.",
                    result.bad_count,
                )
                % {"count": result.bad_count}
            )
        self.stdout.write(
            _("Population of %(updated)d desa set, %(unchanged)d unchanged.")
            % {"updated": result.updated, "unchanged": result.unchanged}
        )
        if result.updated:
            self.stdout.write(
                _(
                    "Crimes per 10,000 residents uses it from the next computation: the nightly "
                    "one recomputes this month and the last; for earlier months run "
                    "manage.py recompute_indicators --from YYYY-MM."
                )
            )
