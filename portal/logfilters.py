"""Secrets that travel in URLs never reach a log.

The tracking link (`/lacak/<reference>/<code>/`) is the anonymous reporter's only key to their
report; a forum's calendar link and allauth's e-mail confirmation and password reset links are
keys too. Django's request logger prints the path of every 4xx/5xx answer, the development
server and gunicorn's access log print every request line and referrer: each goes through
`mask_secrets` (the LOGGING filter below; `gunicorn.conf.py` for the access log).
"""

import logging
import re

MASK = "***"

_SECRET_IN_PATH = re.compile(
    r"(?P<keep>/lacak/[^/\s?#\"']+/"  # tracking link: reference kept, code masked
    r"|/fkpm/\d+/kalender/"  # private calendar feed: /fkpm/<pk>/kalender/<token>.ics
    r"|/confirm-email/"
    r"|/password/reset/key/[0-9A-Za-z]+-"  # uidb36 kept, key masked
    r")(?P<secret>[^/\s?#\"'.]+)"
)


def mask_secrets(text: str) -> str:
    return _SECRET_IN_PATH.sub(lambda m: m.group("keep") + MASK, text)


class MaskSecretsFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) with the secrets masked. Set on the
    loggers that print paths, so every handler downstream (console, mail, pytest's caplog)
    receives the masked record, and on the console handler for anything else."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True
