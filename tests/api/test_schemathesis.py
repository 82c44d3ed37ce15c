"""schemathesis against the live portal's own OpenAPI schema, as an anonymous caller, a
resident and an officer, on the test database (thrown away afterwards): every operation is
called with generated input and every response must match the schema — zero failures."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from issues.tests.factories import ProblemFactory

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis"


@pytest.fixture
def generous_throttles(monkeypatch):
    """The generated calls come from one address within seconds: the default rates would turn
    most of them into 429s (which the schema documents) and test little else."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "100000/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "100000/minute")


@pytest.fixture
def records(area, resident, officer):
    ProblemFactory(village=area.village, is_private=False)
    ProblemFactory(village=area.village, reporter=resident, is_private=True)


@pytest.mark.parametrize("role", ["anonymous", "resident", "officer"])
def test_schemathesis_finds_no_failure(
    request, live_server, records, generous_throttles, role, tmp_path
):
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert cli, "schemathesis is a dev dependency: make install-dev"
    command = [
        cli,
        "run",
        f"{live_server.url}/api/v1/schema/",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("SCHEMATHESIS_EXAMPLES", "15"),
        "--workers",
        "1",
        "--seed",
        "2026",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(ARTIFACTS / role),
        # One request per connection: Django's test server, unlike gunicorn, can misread the
        # next request on a kept-alive connection after refusing one whose body it did not
        # read (an anonymous PATCH with a form body), and answer it without a status line.
        "--header",
        "Connection: close",
    ]
    if role != "anonymous":
        user = request.getfixturevalue(role)
        token, _created = Token.objects.get_or_create(user=user)
        command += ["--header", f"Authorization: Token {token.key}"]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=tmp_path, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
