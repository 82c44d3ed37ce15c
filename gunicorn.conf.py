"""gunicorn reads this file from the working directory (/app in the image) by default.

Its access log prints every request line and referrer; the tracking link carries the
reporter's code in its path (and in the Referer of each request its page makes), so those
are masked as in Django's own logs (portal/logfilters.py).
"""

from gunicorn.glogging import Logger

from portal.logfilters import mask_secrets


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_secrets(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = MaskingLogger
