"""What the Gate tests (test_gate, test_exchange) share: a fake platform with the test
project's secret, its profile, and no HTTP settings taken from the machine."""

import pytest

from ecp_cli.profiles import Profile
from tests.fake_platform import FakePlatform, clear_http_env
from tests.http.gate_calls import SECRET


@pytest.fixture(autouse=True)
def no_http_settings_from_the_machine(monkeypatch):
    clear_http_env(monkeypatch)


@pytest.fixture
def platform():
    with FakePlatform(secret=SECRET) as server:
        yield server


@pytest.fixture
def profile():
    return Profile("test", 112, SECRET)
