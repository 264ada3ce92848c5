"""http/client.py: the environment's proxy is used for the world, never for this machine;
one SSL context for the whole process."""

import ssl

import httpx
import pytest

from ecp_cli import __version__
from ecp_cli.errors import InputError
from ecp_cli.http import client as client_module
from ecp_cli.http.client import USER_AGENT, make_client, ssl_context
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


def test_one_ssl_context_serves_every_client_and_transport(monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # a proxy transport too
    client_module._ssl_context.cache_clear()
    made = []
    real = ssl.create_default_context
    monkeypatch.setattr(
        ssl, "create_default_context", lambda *a, **k: made.append(1) or real(*a, **k)
    )
    with make_client(timeout=1) as first, make_client(timeout=1) as second:
        contexts = {
            id(transport._pool._ssl_context)
            for client in (first, second)
            for transport in [client._transport, *client._mounts.values()]
            if transport is not None
        }
    assert len(made) == 1
    assert contexts == {id(ssl_context())}


def test_another_ca_bundle_gets_its_own_context(monkeypatch):
    from tests.fake_platform import CA_FILE

    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    default = ssl_context()
    monkeypatch.setenv("SSL_CERT_FILE", str(CA_FILE))
    assert ssl_context() is not default
    assert ssl_context() is ssl_context()
