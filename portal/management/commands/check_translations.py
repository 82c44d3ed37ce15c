import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_problems(po_path: Path) -> list[str]:
    """Untranslated, fuzzy and placeholder-mismatched entries of a .po catalogue."""
    import polib  # a development dependency: the check runs in CI, not in production

    problems = []
    catalogue = polib.pofile(str(po_path))
    forms = _plural_forms(catalogue.metadata.get("Plural-Forms", ""))
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{po_path}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            # Every form the catalogue declares: a missing one falls back to English.
            if not all(entry.msgstr_plural.get(form) for form in range(forms)):
                problems.append(f"{where}: untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"{where}: untranslated: {entry.msgid!r}")
    return problems


def _plural_forms(header: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    return int(match.group(1)) if match else 2


class Command(BaseCommand):
    help = (
        "Fail on an untranslated or fuzzy entry in the Indonesian catalogue. Run "
        "`make messages` first so that every string in the code is in the catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--locale", default="id")

    def handle(self, *args, **options):
        po_path = Path(settings.LOCALE_PATHS[0]) / options["locale"] / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            raise CommandError(f"{po_path} does not exist.")
        problems = catalogue_problems(po_path)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} entries need a translation.")
        self.stdout.write(self.style.SUCCESS(f"{po_path}: complete."))
