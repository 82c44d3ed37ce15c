"""A test-only e-mail backend for a worker in another process (tests/test_worker_kill.py).

locmem's outbox lives in one process; this backend writes each message to a file under
`$SLOW_MAIL_DIR/sent/`, so the test counts what a worker process really sent. Before writing it
leaves a marker `$SLOW_MAIL_DIR/started/<pid>` (the process that is sending) and waits while the
file `$SLOW_MAIL_DIR/hold` exists: the task is then in the middle of its work, with the
notification's row locked and the mail not yet out, for as long as the test needs to kill it.

Selected in the worker with EMAIL_BACKEND=tests.slow_mail.HeldFileBackend.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

# A held send gives up waiting after this long, so a test that fails to release it cannot
# leave a worker stuck past the task's time limit.
HOLD_AT_MOST = 30.0


class HeldFileBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        self.base = Path(os.environ["SLOW_MAIL_DIR"])
        kwargs["file_path"] = str(self.base / "sent")
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        started = self.base / "started"
        started.mkdir(exist_ok=True)
        (started / str(os.getpid())).touch()
        deadline = time.monotonic() + HOLD_AT_MOST
        while (self.base / "hold").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return super().send_messages(email_messages)
