import datetime

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forums import services


class Command(BaseCommand):
    help = _(
        "Plan the meetings of every scheduled forum for the coming weeks and mark meetings "
        "left without a record as missed. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.HORIZON.days,
            help=_("How many days ahead to plan."),
        )

    def handle(self, *args, days, **options):
        created = services.meetings_generate(horizon=datetime.timedelta(days=days))
        missed = services.meetings_mark_missed()
        self.stdout.write(
            _("%(created)d meetings planned, %(missed)d marked missed.")
            % {"created": created, "missed": missed}
        )
