"""ecp sandbox (served in a child process), ecp sandbox pay / payments, and the client
commands ecp capture / cancel / refund / status against a running sandbox."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.http_endpoint import Endpoint
from tests.sandbox.conftest import PROJECT, SECRET, Running

ROOT = Path(__file__).resolve().parents[2]


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr("ecp_cli.defaults.GATE_BACKOFF", 0.0)


@pytest.fixture
def receiver():
    with Endpoint() as endpoint:
        yield endpoint


@pytest.fixture
def sandbox(tmp_path, receiver):
    running = Running(tmp_path, receiver)
    yield running
    running.stop()


@pytest.fixture
def ecp(cli, sandbox):
    cli.vars.update({"ECP_SECRET": SECRET, "ECP_PROJECT_ID": str(PROJECT)})
    return cli


def test_pay_success_decline_and_3ds_exit_codes(ecp, sandbox):
    run = ecp("sandbox", "pay", sandbox.link(payment_id="cli-1"), "--card", "4000000000000077")
    assert (run.exit_code, run.stdout) == (0, "success: payment cli-1 is success, code 0\n")
    run = ecp("sandbox", "pay", sandbox.link(payment_id="cli-2"), "--card", "4111111111111111")
    assert (run.exit_code, run.stdout) == (1, "decline: payment cli-2 is decline, code 10000\n")
    run = ecp("sandbox", "pay", sandbox.link(payment_id="cli-3"), "--card", "4314220000000056",
              "--3ds-code", "9999", "--json")  # fmt: skip
    assert run.exit_code == 1
    data = run.json()
    assert (data["outcome"], data["status"], data["code"]) == ("decline", "decline", "104")
    assert "POST /acs: 303" in data["steps"]
    run = ecp("sandbox", "pay", sandbox.link(payment_id="cli-4", redirect_success_url=
              "https://shop.example/ok"), "--card", "4314220000000056")  # fmt: skip
    assert run.exit_code == 0 and "  redirect: https://shop.example/ok" in run.stdout


def test_pay_reports_a_refused_link_and_a_refused_card(ecp, sandbox):
    bad = sandbox.link().replace("signature=", "signature=A")
    run = ecp("sandbox", "pay", bad)
    assert run.exit_code == 1
    assert run.stdout.startswith("the Payment Page refused the link\n  3261 Invalid signature")
    run = ecp("sandbox", "pay", sandbox.link(), "--card", "4000000000000078")
    assert run.exit_code == 1
    assert "  This card number is not valid (check digit)." in run.stdout
    run = ecp("sandbox", "pay", sandbox.link(), "--expiry", "12-2030")
    assert (run.exit_code, run.stderr) == (2, "error: --expiry '12-2030': expected MM/YYYY, "
                                              "such as 12/2030\n")  # fmt: skip


def test_payments_lists_masked_cards(ecp, sandbox):
    sandbox.pay("4000000000000077", payment_id="cli-list")
    sandbox.callbacks(1)
    run = ecp("sandbox", "payments", "--store", str(sandbox.store_path), "--json")
    assert run.exit_code == 0
    [payment] = run.json()
    assert (payment["payment_id"], payment["status"], payment["card"]) == (
        "cli-list", "success", "400000******0077")
    [callback] = payment["callbacks"]
    assert (callback["operation"], callback["outcome"], callback["last_status"]) == (
        "sale success", "delivered", 200)
    assert callback["url"] == sandbox.receiver.url
    run = ecp("sandbox", "payments", "--store", str(sandbox.store_path))
    assert re.search(r"112  cli-list  success  19\.99 EUR  400000\*{6}0077  "
                     r"callbacks 1/1 delivered$", run.stdout.strip())  # fmt: skip
    missing = ecp("sandbox", "payments", "--store", str(sandbox.store_path.parent / "none"))
    assert missing.exit_code == 2 and "no sandbox store here" in missing.stderr


def test_status_refund_wait_and_json(ecp, sandbox):
    sandbox.pay(payment_id="cli-refund")
    sandbox.callbacks(1)
    run = ecp("status", "cli-refund", "--api-url", sandbox.url)
    assert run.exit_code == 0 and "valid" in run.stdout.splitlines()[0]
    run = ecp("refund", "cli-refund", "--amount", "999", "--api-url", sandbox.url, "--wait")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("refund accepted: payment cli-refund, request_id ")
    assert lines[1] == "refund success: payment cli-refund is partially refunded"
    run = ecp("refund", "cli-refund", "--api-url", sandbox.url, "--json")  # the rest
    assert run.exit_code == 0
    assert run.json()["response"]["status"] == "success"
    callbacks = sandbox.callbacks(3)
    assert [c["payment"]["status"] for c in callbacks] == [
        "success", "partially refunded", "refunded"]
    assert callbacks[2]["operation"]["sum_initial"]["amount"] == 1000
    run = ecp("refund", "cli-refund", "--amount", "1", "--currency", "EUR", "--api-url",
              sandbox.url)  # fmt: skip
    assert run.exit_code == 1
    assert run.stdout.startswith("platform error: 3060 Current payment or operation status")
    assert run.stderr.startswith("error: the platform refused the refund (HTTP 400): 3060")


def test_capture_and_cancel(ecp, sandbox):
    sandbox.pay(payment_id="cli-auth", operation_type="auth")
    sandbox.pay(payment_id="cli-auth2", operation_type="auth")
    run = ecp("capture", "cli-auth", "--api-url", sandbox.url, "--wait", "--json")
    assert run.exit_code == 0
    data = run.json()
    assert data["operation_status"] == "success"
    assert data["status_response"]["payment"]["status"] == "success"
    run = ecp("cancel", "cli-auth2", "--api-url", sandbox.url)
    assert run.exit_code == 0 and run.stdout.startswith("cancel accepted: payment cli-auth2")
    run = ecp("cancel", "cli-auth", "--api-url", sandbox.url)
    assert run.exit_code == 1


def test_operations_bad_input_and_network(ecp, sandbox):
    run = ecp("refund", "x", "--amount", "5", "--currency", "EURO", "--api-url", sandbox.url)
    assert (run.exit_code, run.stderr) == (
        2, "error: --currency 'EURO' is not an ISO 4217 currency code; did you mean EUR?\n")
    run = ecp("capture", "x", "--api-url", "http://127.0.0.1:9", "--retries", "0")
    assert run.exit_code == 3 and "connection refused" in run.stderr


def test_serve_prints_the_url_and_profile_lines_and_stops_on_ctrl_c(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "ECP_SECRET": SECRET, "ECP_PROJECT_ID": "112", "NO_COLOR": "1",
    }  # fmt: skip
    store = tmp_path / "pay.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "ecp_cli", "sandbox", "--port", "0", "--store", str(store)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_sigint,
    )  # fmt: skip
    url = process.stdout.readline().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    import httpx

    assert "ecp sandbox" in httpx.get(url + "/health").text
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == 0, stderr
    assert f"    api_url: {url}" in stderr and f"    check_url: {url}" in stderr
    assert "  projects: 112 (environment)" in stderr
    assert stderr.endswith(f"ecp sandbox: stopped; 0 payments in {store}\n")
    assert SECRET not in stderr


def test_serves_every_profile_of_the_file(bare_cli):
    cli = bare_cli
    from ecp_cli.cli.common import State
    from ecp_cli.cli.sandbox import sandbox_projects

    path = cli.write("ecp.yaml", "profiles:\n  a: {project_id: 1, secret: s1}\n"
                     "  b: {project_id: 2, secret: s2}\n  c: {project_id: 3}\n")  # fmt: skip
    state = State(cli.environment(), str(path))
    assert {p.project_id: p.name for p in sandbox_projects(state).values()} == {1: "a", 2: "b"}
    state = State(cli.environment(), str(path), "b")
    assert list(sandbox_projects(state)) == [2]
