import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from metrics.compute import MonthReport
from metrics.compute.months import add_months, month_start, months_between, parse_month
from metrics.compute.parallel import recompute_in_parallel
from metrics.compute.queue import recompute_pending
from metrics.compute.spec import LEVELS


class Command(BaseCommand):
    # Help text stays in English like Django's own commands; what the command prints is
    # translated.
    help = (
        "Recompute every indicator of docs/indicators.md for every desa and month from --from "
        "to --to (default: the previous and the current month), rolled up to Polsek, Polres, "
        "Polda and the nation. For backfills; the nightly task and the queue keep recent "
        "months current. Each month is replaced in one transaction; a second run changes "
        "nothing. Months that have not begun are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="First month.")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="Last month.")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Database connections computing months side by side (1). On a machine with "
            "several cores, as many as the database may use.",
        )
        parser.add_argument(
            "--level",
            action="append",
            choices=LEVELS,
            help="Only this level (repeat for several). A level above the desa is summed "
            "from the stored rows of the level below.",
        )
        parser.add_argument(
            "--queued",
            action="store_true",
            help="Instead of a range, recompute the desa-months queued by changes, as the task "
            "Celery beat runs every minute does: without beat (a laptop without Redis), run "
            "this to see a change on the dashboards.",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["queued"]:
            if options["first"] or options["last"] or options["level"] or options["workers"] != 1:
                raise CommandError(
                    _("--queued recomputes the queue: give no months, levels or workers.")
                )
            self.recompute_queued()
            return
        this_month = month_start(timezone.localdate())
        try:
            first = parse_month(options["first"]) if options["first"] else None
            last = parse_month(options["last"]) if options["last"] else this_month
        except ValueError as error:
            raise CommandError(_("Give months as YYYY-MM, e.g. 2025-01.")) from error
        first = first or min(add_months(this_month, -1), last)
        if first > last:
            raise CommandError(_("--from must not be after --to."))
        months = months_between(first, last)
        started = time.monotonic()
        if options["workers"] < 1:
            raise CommandError(_("--workers must be 1 or more."))
        reports = recompute_in_parallel(
            months=months,
            workers=options["workers"],
            levels=options["level"],
            progress=self.report,
        )
        if not reports:
            raise CommandError(_("Nothing to recompute: these months have not begun."))
        if options["verbosity"] > 0:
            self.stdout.write(
                ngettext(
                    "%(count)d month recomputed in %(seconds).1f s.",
                    "%(count)d months recomputed in %(seconds).1f s.",
                    len(reports),
                )
                % {"count": len(reports), "seconds": time.monotonic() - started}
            )

    def recompute_queued(self) -> None:
        requests = 0
        while claimed := recompute_pending()["requests"]:
            requests += claimed
        if self.verbosity > 0:
            self.stdout.write(
                ngettext(
                    "%(count)d queued desa-month recomputed.",
                    "%(count)d queued desa-months recomputed.",
                    requests,
                )
                % {"count": requests}
            )

    def report(self, report: MonthReport) -> None:
        if self.verbosity > 0:
            self.stdout.write(
                _("%(month)s: %(written)d rows written, %(deleted)d deleted in %(seconds).1f s")
                % {
                    "month": f"{report.month:%Y-%m}",
                    "written": report.written,
                    "deleted": report.deleted,
                    "seconds": report.seconds,
                }
            )
