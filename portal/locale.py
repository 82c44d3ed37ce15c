import functools
import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

MACHINE_PATHS = ("/api/", "/open311/")


class PortalLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the visitor chose English with the switch in the header.

    Django's own middleware follows the browser's Accept-Language, and many Indonesian phones
    are set to English: the portal would greet most residents in a language they did not
    choose. The choice made with the switch is kept in the language cookie.

    The API and Open311 answer apps and other systems, which have no switch: there the
    Accept-Language header chooses, when no cookie does.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen in supported:
            language = chosen
        elif request.path_info.startswith(MACHINE_PATHS):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def in_portal_language(message, **params) -> str:
    """Text the portal writes into a record (a note on a problem's history, a forum's log, a
    reason for a cancelled meeting), in the portal's language rather than in the language of
    whoever's request caused it: others read it later, in their own request.

    `message` is a msgid marked with gettext_noop, or a lazy string such as a choice's label."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
        return text % params if params else text


# The texts the portal writes into records through `in_portal_language` and shows to people
# (`written_note`), so that a reader in another language reads them in theirs.
_WRITTEN: list[str] = []
PARAMETER = re.compile(r"%\\\((\w+)\\\)s")  # %(name)s, as re.escape leaves it


def written_note(message: str) -> str:
    """Marks `message` (a msgid marked with gettext_noop) as a text the portal writes into a
    record that people read: `in_reader_language` gives it back in the reader's language.
    Call it where the module is imported, so that every process knows the message."""
    _WRITTEN.append(message)
    _patterns.cache_clear()
    return message


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """Each written note as the portal's language stores it, its parameters as groups."""
    with translation.override(settings.LANGUAGE_CODE):
        stored = [(message, translation.gettext(message)) for message in _WRITTEN]
    return [
        (message, re.compile(PARAMETER.sub(r"(?P<\1>.+?)", re.escape(text)), re.DOTALL))
        for message, text in stored
    ]


def in_reader_language(text: str) -> str:
    """A note `in_portal_language` wrote, in the active language when it is one the portal
    wrote (`written_note`): "Pelapor menyatakan masalah belum selesai." reads "The reporter
    says the problem is not solved." in English. Any other text (what a person wrote, a name)
    is given back as it is."""
    if not text or translation.get_language() == settings.LANGUAGE_CODE:
        return text
    for message, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return translation.gettext(message) % match.groupdict()
    return text
