"""exchange.py, through the Gate status call against a fake platform on 127.0.0.1: retries,
and every way the exchange itself can fail, each told in one line."""

import socket

import httpx
import pytest

from ecp_cli.errors import InputError, NetworkError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http import exchange, gate
from ecp_cli.signing.signature import Verdict
from tests.fake_platform import CA_FILE, Answer, FakePlatform, closed_port
from tests.http.gate_calls import SECRET, failure, status

# --- retries ---------------------------------------------------------------------------


def test_5xx_then_success_is_retried(platform, profile):
    platform.add_payment("order-42")
    platform.script(Answer(503, "busy"), Answer(502, "bad gateway"))
    result = status(profile, "order-42", platform)
    assert (result.verdict, result.attempts, len(platform.requests)) == (Verdict.VALID, 3, 3)


def test_5xx_every_time_fails_with_the_status_and_the_body(platform, profile):
    platform.script(*[Answer(503, "busy, try later")] * 3)
    assert failure(lambda: status(profile, "order-42", platform)) == (
        NetworkError,
        ExitStatus.NETWORK_ERROR,
        f"POST {platform.url}/v2/payment/status: HTTP 503 Service Unavailable "
        "(after 3 attempts): busy, try later",
    )
    assert len(platform.requests) == 3


def test_retries_zero_means_one_attempt(platform, profile):
    platform.script(Answer(500, ""))
    assert failure(lambda: status(profile, "order-42", platform, retries=0))[2] == (
        f"POST {platform.url}/v2/payment/status: HTTP 500 Internal Server Error: (empty body)"
    )
    assert len(platform.requests) == 1


def test_4xx_is_not_retried_and_quotes_the_start_of_the_body(platform, profile):
    platform.script(Answer(403, "<html> " + "x" * 300 + "</html>"))
    message = failure(lambda: status(profile, "order-42", platform))[2]
    assert message == (
        f"POST {platform.url}/v2/payment/status: HTTP 403 Forbidden: <html> " + "x" * 192 + "…"
    )
    assert len(platform.requests) == 1


def test_a_redirect_is_not_followed(platform, profile):
    platform.script(Answer(301, "", headers={"Location": "http://elsewhere.invalid/"}))
    assert failure(lambda: status(profile, "order-42", platform))[2] == (
        f"POST {platform.url}/v2/payment/status: HTTP 301 Moved Permanently "
        "(redirects to http://elsewhere.invalid/): (empty body)"
    )


def test_backoff_grows_between_attempts(monkeypatch, platform, profile):
    waits = []
    monkeypatch.setattr(exchange, "_pause", waits.append)
    platform.add_payment("order-42")
    platform.script(Answer(503, ""), Answer(503, ""))
    gate.payment_status(profile, "order-42", api_url=platform.url, backoff=0.5)
    assert len(waits) == 2
    assert 0.5 <= waits[0] <= 0.75 and 1.0 <= waits[1] <= 1.25


# --- failures of the exchange ----------------------------------------------------------


def test_timeout(platform, profile):
    platform.script(Answer(delay=5))
    assert failure(lambda: status(profile, "order-42", platform, timeout=0.2, retries=0)) == (
        NetworkError,
        ExitStatus.NETWORK_ERROR,
        f"POST {platform.url}/v2/payment/status: no answer within 0.2 s",
    )


def test_timeouts_are_retried(platform, profile):
    platform.script(Answer(delay=5), Answer(delay=5))
    assert failure(lambda: status(profile, "order-42", platform, timeout=0.2, retries=1))[2] == (
        f"POST {platform.url}/v2/payment/status: no answer within 0.2 s (after 2 attempts)"
    )
    assert len(platform.requests) == 2


def test_connection_refused(profile):
    url = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(NetworkError) as caught:
        gate.payment_status(profile, "order-42", api_url=url, backoff=0)
    assert caught.value.message == (
        f"POST {url}/v2/payment/status: connection refused (after 3 attempts)"
    )


def _failing_transport(error_factory):
    calls = []

    def handler(request):
        calls.append(request)
        raise error_factory(request)

    return httpx.MockTransport(handler), calls


def _dns_error(errno):
    def make(request):
        try:
            raise socket.gaierror(errno, "name lookup failed")
        except socket.gaierror as cause:
            raise httpx.ConnectError("lookup failed", request=request) from cause

    return make


def test_unknown_host_name_fails_at_once(profile):
    transport, calls = _failing_transport(_dns_error(socket.EAI_NONAME))
    with pytest.raises(NetworkError) as caught:
        gate.payment_status(
            profile, "x", api_url="https://api.example.invalid", transport=transport
        )
    assert caught.value.message == (
        "POST https://api.example.invalid/v2/payment/status: "
        "host name api.example.invalid not found (DNS)"
    )
    assert len(calls) == 1


def test_temporary_dns_failure_is_retried(profile):
    transport, calls = _failing_transport(_dns_error(socket.EAI_AGAIN))
    with pytest.raises(NetworkError) as caught:
        gate.payment_status(
            profile, "x", api_url="https://api.example.invalid", transport=transport, backoff=0
        )
    assert caught.value.message == (
        "POST https://api.example.invalid/v2/payment/status: "
        "could not look up host name api.example.invalid (DNS) (after 3 attempts)"
    )
    assert len(calls) == 3


def test_broken_json(platform, profile):
    platform.script(Answer(200, '{"payment": {"id": '))
    assert failure(lambda: status(profile, "order-42", platform)) == (
        NetworkError,
        ExitStatus.NETWORK_ERROR,
        f"POST {platform.url}/v2/payment/status: HTTP 200 with a body that is not JSON: "
        '{"payment": {"id":',
    )


def test_json_that_is_not_an_object(platform, profile):
    platform.script(Answer(200, [1, 2]))
    assert failure(lambda: status(profile, "order-42", platform))[2] == (
        f"POST {platform.url}/v2/payment/status: HTTP 200 with JSON that is not an object: [1, 2]"
    )


def test_connection_closed_without_an_answer(platform, profile):
    platform.script(Answer(drop=True))
    assert failure(lambda: status(profile, "order-42", platform, retries=0))[2] == (
        f"POST {platform.url}/v2/payment/status: "
        "the server closed the connection without a valid answer"
    )


def test_tls_with_an_unknown_ca_fails_once_with_a_hint(profile):
    with FakePlatform(secret=SECRET, tls=True) as server:
        assert failure(lambda: status(profile, "order-42", server)) == (
            NetworkError,
            ExitStatus.NETWORK_ERROR,
            f"POST {server.url}/v2/payment/status: TLS failed: certificate verify failed: "
            "unable to get local issuer certificate; for a private CA or a TLS-inspecting "
            "proxy, point SSL_CERT_FILE at its certificate",
        )


def test_ca_bundle_comes_from_ssl_cert_file(monkeypatch, profile):
    monkeypatch.setenv("SSL_CERT_FILE", str(CA_FILE))
    with FakePlatform(secret=SECRET, tls=True) as server:
        server.add_payment("order-42")
        assert status(profile, "order-42", server).verdict is Verdict.VALID


def test_unreadable_ssl_cert_file_is_a_configuration_error(monkeypatch, platform, profile):
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    assert failure(lambda: status(profile, "order-42", platform)) == (
        InputError,
        ExitStatus.INPUT_ERROR,
        "cannot load the CA certificates named by SSL_CERT_FILE or SSL_CERT_DIR: "
        "No such file or directory",
    )


def test_proxy_comes_from_the_environment(monkeypatch, platform, profile):
    # The fake platform plays the proxy: it receives the full URL in the request line.
    monkeypatch.setenv("HTTP_PROXY", platform.url)
    platform.add_payment("order-42")
    result = gate.payment_status(profile, "order-42", api_url="http://api.example.invalid")
    assert result.verdict is Verdict.VALID
    assert platform.requests[0].target == "http://api.example.invalid/v2/payment/status"


def test_tls_to_a_plain_http_server(platform, profile):
    url = platform.url.replace("http://", "https://")
    with pytest.raises(NetworkError) as caught:
        gate.payment_status(profile, "x", api_url=url, retries=0)
    assert caught.value.message.startswith(f"POST {url}/v2/payment/status: TLS failed: ")
    assert "_ssl.c" not in caught.value.message


def test_a_body_that_cannot_be_decoded(platform, profile):
    platform.script(Answer(200, "not gzip at all", headers={"Content-Encoding": "gzip"}))
    message = failure(lambda: status(profile, "order-42", platform, retries=0))[2]
    assert message.startswith(
        f"POST {platform.url}/v2/payment/status: the answer could not be decoded ("
    )


def test_library_checks_its_limits(platform, profile):
    assert failure(lambda: status(profile, "x", platform, retries=-1))[2] == (
        "retries must be between 0 and 10, got -1"
    )
    assert failure(lambda: status(profile, "x", platform, timeout=0))[2] == (
        "timeout must be more than 0 seconds, got 0"
    )
    assert platform.requests == []
