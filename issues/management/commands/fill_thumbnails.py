from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from forums.models import MeetingFile
from issues.models import ProblemPhoto
from issues.photos import fill_thumbnails


class Command(BaseCommand):
    # Help text stays in English like Django's own commands; what the command prints is
    # translated.
    help = (
        "Give the problem photos and meeting files stored before thumbnails existed their "
        "thumbnails. Pages show the photo itself until then. Row by row, each saved on its "
        "own; a second run makes only those still missing; a file that cannot be read is "
        "logged and skipped (and logged again on the next run)."
    )

    def handle(self, *args, **options):
        for model in (ProblemPhoto, MeetingFile):
            made = fill_thumbnails(model)
            self.stdout.write(
                ngettext(
                    "%(model)s: %(count)s thumbnail made.",
                    "%(model)s: %(count)s thumbnails made.",
                    made,
                )
                % {"model": model._meta.verbose_name_plural, "count": made}
            )
