"""Helpers of the Gate tests (test_gate, test_exchange): the test project's secret, the
status call against the fake platform, and what a raised error says."""

import pytest

from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http import gate

SECRET = "s3cr3t-Gate-Test-Value"


def status(profile, payment_id, server, **options):
    """The status call against the fake platform, without waits between retries."""
    options.setdefault("backoff", 0)
    return gate.payment_status(profile, payment_id, api_url=server.url, **options)


def failure(call) -> tuple[type, ExitStatus, str]:
    """What the error ``call`` raises says: its type, exit status and message."""
    with pytest.raises(Exception) as caught:
        call()
    error = caught.value
    return type(error), error.status, error.message
