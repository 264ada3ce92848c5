"""http_client.py: the environment's proxy is used for the world, never for this machine."""

import httpx
import pytest

from ecp_cli import __version__
from ecp_cli.errors import InputError
from ecp_cli.http.client import USER_AGENT, make_client
from tests.fake_platform import closed_port
from tests.http_endpoint import Endpoint


@pytest.fixture
def dead_proxy(monkeypatch):
    """A proxy that refuses every connection: anything sent through it fails."""
    proxy = f"http://127.0.0.1:{closed_port()}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy)
    return proxy


def test_loopback_is_reached_directly_even_with_a_proxy_set(dead_proxy):
    with Endpoint() as endpoint, make_client(timeout=5) as client:
        for host in ("127.0.0.1", "localhost"):
            url = endpoint.url.replace("127.0.0.1", host)
            assert client.post(url, content=b"{}").status_code == 200


def test_other_hosts_go_through_the_proxy(dead_proxy):
    with make_client(timeout=5) as client, pytest.raises(httpx.ConnectError) as error:
        client.get("http://example.invalid/")
    # Refused by the (dead) proxy; going direct would have failed to look the name up.
    assert "Connection refused" in str(error.value)


def test_user_agent_names_ecp_and_its_version():
    assert f"ecp/{__version__} (+httpx)" == USER_AGENT
    with make_client(timeout=1) as client:
        assert client.headers["User-Agent"] == USER_AGENT


def test_unusable_proxy_setting_is_an_input_error_that_does_not_repeat_it(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "ftp://user:pa55word@proxy")
    with pytest.raises(InputError) as error:
        make_client(timeout=1)
    assert "pa55word" not in error.value.message
