"""ecp send against a real endpoint on 127.0.0.1: what arrives, what is shown, exit codes
0/1/2/3, retries, sequences, duplicates, shuffling, --json; the secret never shows."""

import json
import re

import pytest

from ecp_cli.signing.signature import verify
from tests.conftest import SAMPLES
from tests.http_endpoint import Endpoint, closed_port_url

MS = r"\d+ ms"


def received(endpoint) -> list[dict]:
    return [json.loads(request.body) for request in endpoint.requests]


def test_sends_a_signed_callback_and_shows_the_reply(cli):
    with Endpoint([(200, '{"result": "ok"}')]) as endpoint:
        run = cli("send", "success", "--payment-id", "order-1", "--to", endpoint.url)
    assert run.exit_code == 0
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines[0] == "[1/1] payment order-1: success (sale success, code 0)"
    assert re.fullmatch(rf'      -> 200 OK in {MS}  {{"result": "ok"}}', lines[1])
    (body,) = received(endpoint)
    assert verify(body, "secret").ok
    assert body["payment"]["id"] == "order-1"
    request = endpoint.requests[0]
    assert request.headers["Content-Type"] == "application/json"
    assert request.path == "/callback"


def test_non_2xx_answer_is_exit_1(cli):
    with Endpoint([(400, "Invalid callback signature.")]) as endpoint:
        run = cli("send", "decline", "--to", endpoint.url)
    assert run.exit_code == 1
    assert re.search(rf"-> 400 Bad Request in {MS}  Invalid callback signature\.", run.stdout)


def test_unreachable_endpoint_is_exit_3_in_one_line(cli):
    url = closed_port_url()
    run = cli("send", "success", "--to", url)
    assert run.exit_code == 3
    assert run.stderr == f"error: {url}: connection refused\n"


def test_retry_until_the_endpoint_recovers(cli):
    with Endpoint([(500, "db down"), (502, ""), (200, "ok")]) as endpoint:
        run = cli("send", "success", "--retry", "--retry-scale", "0.001", "--to", endpoint.url)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert re.fullmatch(
        rf"      try 1 -> 500 Internal Server Error in {MS}  db down; next try in 10 ms", lines[1]
    )
    assert re.fullmatch(rf"      try 2 -> 502 Bad Gateway in {MS}; next try in 10 ms", lines[2])
    assert re.fullmatch(rf"      try 3 -> 200 OK in {MS}  ok", lines[3])
    assert len(endpoint.requests) == 3
    assert len({r.body for r in endpoint.requests}) == 1  # the same callback each time


def test_retry_gives_up_after_max_attempts_with_exit_1(cli):
    with Endpoint([(500, "")]) as endpoint:
        run = cli(
            "send", "success", "--retry", "--retry-scale", "0", "--max-attempts", "3",
            "--to", endpoint.url,
        )  # fmt: skip
    assert run.exit_code == 1
    assert len(endpoint.requests) == 3
    assert "try 3 -> 500" in run.stdout


def test_retry_against_nothing_is_exit_3(cli):
    url = closed_port_url()
    run = cli(
        "send", "success", "--retry", "--retry-scale", "0", "--max-attempts", "2", "--to", url
    )
    assert run.exit_code == 3
    assert "try 2 -> no answer: " in run.stdout
    assert run.stderr == f"error: {url}: connection refused\n"


def test_sequence_sends_intermediate_then_final(cli):
    with Endpoint() as endpoint:
        run = cli("send", "3ds", "--sequence", "--to", endpoint.url)
    assert run.exit_code == 0
    statuses = [b["payment"]["status"] for b in received(endpoint)]
    assert statuses == ["awaiting 3ds result", "success"]
    assert run.stdout.splitlines()[0].startswith("[1/2] payment ")
    assert run.stdout.splitlines()[2].startswith("[2/2] payment ")


def test_duplicate_and_shuffle_for_idempotency_tests(cli):
    with Endpoint() as endpoint:
        run = cli(
            "send", "capture", "--sequence", "--duplicate", "--shuffle", "--seed", "1",
            "--to", endpoint.url,
        )  # fmt: skip
    assert run.exit_code == 0
    bodies = received(endpoint)
    assert len(bodies) == 4
    keys = [(b["operation"]["type"], b["operation"]["status"]) for b in bodies]
    assert sorted(keys) == sorted([("auth", "success")] * 2 + [("capture", "success")] * 2)
    natural = [("auth", "success")] * 2 + [("capture", "success")] * 2
    assert keys != natural  # really out of order
    assert all(verify(b, "secret").ok for b in bodies)


def test_bad_signature_reaches_the_endpoint_invalid(cli):
    with Endpoint() as endpoint:
        cli("send", "success", "--bad-signature", "--to", endpoint.url)
    assert verify(received(endpoint)[0], "secret").verdict.value == "invalid"


def test_a_file_with_keep_signature_is_sent_byte_for_byte(cli):
    source = SAMPLES / "awaiting_3ds_unknown_secret.json"
    with Endpoint() as endpoint:
        run = cli("send", str(source), "--keep-signature", "--to", endpoint.url)
    assert run.exit_code == 0
    assert endpoint.requests[0].body == source.read_bytes()
    assert run.stdout.startswith(
        "[1/1] payment 173893: awaiting 3ds result (sale awaiting 3ds result, code 9999)\n"
    )


def test_a_file_is_re_signed_by_default(cli):
    with Endpoint() as endpoint:
        cli("send", "--from", str(SAMPLES / "recurring_update.json"), "--to", endpoint.url)
    assert verify(received(endpoint)[0], "secret").ok


def test_json_output_is_only_json(cli):
    with Endpoint([(500, "no"), (200, "yes")]) as endpoint:
        run = cli(
            "send", "decline", "--payment-id", "p1", "--retry", "--retry-scale", "0",
            "--json", "--to", endpoint.url,
        )  # fmt: skip
    assert run.exit_code == 0
    report = run.json()
    assert report["url"] == endpoint.url
    assert report["ok"] is True
    (delivery,) = report["deliveries"]
    assert delivery["payment_id"] == "p1"
    assert (delivery["payment_status"], delivery["code"]) == ("decline", "10105")
    assert [a["status"] for a in delivery["attempts"]] == [500, 200]
    assert [a["body_start"] for a in delivery["attempts"]] == ["no", "yes"]
    assert delivery["ok"] is True


def test_json_output_on_network_failure_still_prints_then_exit_3(cli):
    url = closed_port_url()
    run = cli("send", "success", "--json", "--to", url)
    assert run.exit_code == 3
    report = run.json()
    assert report["ok"] is False
    assert report["deliveries"][0]["attempts"] == [
        {
            "attempt": 1,
            "status": None,
            "elapsed_ms": None,
            "body_start": "",
            "error": f"{url}: connection refused",
            "waited_s": 0.0,
        }
    ]
    assert report["deliveries"][0]["ok"] is False


def test_a_2xx_other_than_200_passes_but_warns(cli):
    with Endpoint([(204, "")]) as endpoint:
        run = cli("send", "success", "--to", endpoint.url)
    assert run.exit_code == 0
    assert run.stderr == (
        "warning: the endpoint answered 204: the platform treats anything but 200 as a "
        "failure and delivers the callback again\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (("success", "--to", "localhost:8000"), "--to localhost:8000: expected an http://"),
        (("nope", "--to", "http://127.0.0.1:9/"), "nope: no such scenario or file"),
        (("success", "--sequence", "--keep-signature", "--to", "http://x/"), "--keep-signature"),
    ],
)
def test_bad_input_is_exit_2(cli, args, message):
    run = cli("send", *args)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"error: {message}")
    assert run.stderr.count("\n") == 1


def test_secret_never_printed(cli):
    cli.vars["ECP_SECRET"] = "s3cr3t-value-for-the-test"
    with Endpoint([(500, "x")]) as endpoint:
        for extra in ((), ("--json",), ("--retry", "--retry-scale", "0", "--max-attempts", "2")):
            run = cli("send", "refund", "--to", endpoint.url, *extra)
            assert "s3cr3t-value-for-the-test" not in run.stdout + run.stderr
    assert all(b"s3cr3t-value-for-the-test" not in r.body for r in endpoint.requests)


def test_without_to_it_sends_to_the_local_listener_and_says_so(cli, monkeypatch):
    from ecp_cli import defaults

    # ecp listen's defaults, so that `ecp listen` and `ecp send success` meet.
    assert defaults.LOCAL_LISTENER_URL == "http://127.0.0.1:8765/"
    with Endpoint([(200, "ok")]) as endpoint:
        monkeypatch.setattr(defaults, "LOCAL_LISTENER_URL", endpoint.url)
        run = cli("send", "success", "--json")
    assert run.exit_code == 0
    assert len(endpoint.requests) == 1
    assert run.json()["url"] == endpoint.url
    assert run.stderr == (
        f"sending to {endpoint.url}, where `ecp listen` receives (--to URL for another)\n"
    )
