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
