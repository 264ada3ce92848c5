"""The sandbox in a real browser: Debian's chromium driven by Playwright.

End to end as a shop sees it: `ecp listen` receives the callbacks, `ecp sandbox` serves the
platform, `ecp url` makes the link, the browser pays with the 3-D Secure challenge card and
lands on the shop's success page; then `ecp status` and `ecp refund` on the same payment.

Screenshots of the checkout and the ACS page are saved as test artefacts in
$ECP_TEST_ARTIFACTS (default: .artifacts/ in the repository). ECP_UPDATE_DOCS_SCREENSHOTS=1
also writes them to docs/images/.

These tests skip only when chromium or Playwright is missing, and say so: .ci/run installs
both (apt-get install chromium; Playwright comes with the test extra).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecp_cli.listen.store import Store
from ecp_cli.signing.signature import verify

ROOT = Path(__file__).resolve().parents[2]
SECRET = "browser-Test-Secret-5a1e"
CHROMIUM = os.environ.get("ECP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("ECP_TEST_ARTIFACTS") or ROOT / ".artifacts")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def _why_no_browser() -> str | None:
    if not os.path.exists(CHROMIUM):
        return (f"CHROMIUM NOT FOUND at {CHROMIUM}: the sandbox's browser tests did NOT run "
                "(install it: apt-get install chromium, as .ci/run does)")  # fmt: skip
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "PLAYWRIGHT NOT INSTALLED: the browser tests did NOT run (pip install -e '.[test]')"
    return None


pytestmark = pytest.mark.skipif(_why_no_browser() is not None, reason=_why_no_browser() or "")


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Child:
    """An `ecp` command serving in a child process; its URL read from its output."""

    def __init__(self, tmp_path: Path, args: list[str], pattern: str, stream: str):
        env = {
            "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "ECP_SECRET": SECRET, "ECP_PROJECT_ID": "112", "NO_COLOR": "1",
        }  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ecp_cli", *args], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint,
        )  # fmt: skip
        pipe = self.process.stdout if stream == "stdout" else self.process.stderr
        first = pipe.readline()
        found = re.search(pattern, first)
        assert found, first
        self.url = found.group(0).rstrip("/")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode


@pytest.fixture
def listener(tmp_path):
    store = tmp_path / "callbacks.sqlite3"
    child = Child(tmp_path, ["listen", "--port", "0", "--store", str(store)],
                  r"http://127\.0\.0\.1:\d+/", "stderr")  # fmt: skip
    child.store = store
    yield child
    assert child.stop() == 0


@pytest.fixture
def sandbox(tmp_path):
    child = Child(tmp_path, ["sandbox", "--port", "0", "--store", str(tmp_path / "pay.sqlite3"),
                             "--retry-scale", "0.001"], r"http://127\.0\.0\.1:\d+", "stdout")
    yield child
    assert child.stop() == 0


@pytest.fixture
def ecp(cli):
    cli.vars.update({"ECP_SECRET": SECRET, "ECP_PROJECT_ID": "112"})
    return cli


@pytest.fixture(scope="module")  # one chromium for the module; each test a new context
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    if os.environ.get("ECP_UPDATE_DOCS_SCREENSHOTS"):
        page.screenshot(path=str(ROOT / "docs" / "images" / name), full_page=True)


def link(ecp, sandbox, payment_id: str, *params: str) -> str:
    args = ["url", "--amount", "1999", "--currency", "EUR", "--payment-id", payment_id,
            "--customer-id", "customer-7", "--description", "Two concert tickets",
            "--base-url", sandbox.url]  # fmt: skip
    for param in params:
        args += ["--param", param]
    run = ecp(*args)
    assert run.exit_code == 0, run.stderr
    return run.stdout.strip()


def fill_card(page, number: str) -> None:
    page.fill("#card_number", number)
    page.fill("#expiry_month", "12")
    page.fill("#expiry_year", str(time.gmtime().tm_year + 3))
    page.fill("#cvv", "123")
    page.fill("#card_holder", "Jane Tester")


def stored_callbacks(listener, count: int, timeout: float = 10.0) -> list[dict]:
    import json

    deadline = time.monotonic() + timeout
    while True:
        with Store(listener.store) as store:
            events = list(reversed(store.list(limit=100)))
        if len(events) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for event in events:
        assert event.verdict == "valid", event
    return [json.loads(event.body) for event in events]


def test_pay_with_3ds_land_on_the_shop_then_status_and_refund(ecp, sandbox, listener, page):
    success_url = f"{listener.url}/shop/success?order=e2e-1"
    url = link(ecp, sandbox, "e2e-1", f"merchant_callback_url={listener.url}/callbacks",
               f"redirect_success_url={success_url}")  # fmt: skip
    page.goto(url)
    assert page.title() == "Pay · ecp sandbox"
    assert page.inner_text(".amount") == "19.99 EUR"
    # A click on a test card fills the form (the panel's script).
    page.click("button[data-card='4314220000000056']")
    assert page.input_value("#card_number") == "4314220000000056"
    fill_card(page, "4314220000000056")
    screenshot(page, "sandbox-checkout.png")
    page.click("button.pay")
    page.wait_for_selector("#code")
    assert page.inner_text("h1") == "3-D Secure check"
    page.fill("#code", "1234")
    screenshot(page, "sandbox-acs.png")
    page.click("button.pay")
    page.wait_for_url(success_url)
    assert page.url == success_url

    awaiting, success = stored_callbacks(listener, 2)
    assert (awaiting["payment"]["status"], awaiting["operation"]["status"]) == (
        "awaiting 3ds result", "awaiting 3ds result")
    assert (success["payment"]["status"], success["operation"]["code"]) == ("success", "0")
    assert verify(success, SECRET).ok
    assert success["account"]["number"] == "431422******0056"
    assert success["payment"]["description"] == "Two concert tickets"

    run = ecp("status", "e2e-1", "--api-url", sandbox.url)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith("signature       valid")
    assert "Payment succeeded" in run.stdout

    run = ecp("refund", "e2e-1", "--amount", "999", "--api-url", sandbox.url, "--wait")
    assert run.exit_code == 0, run.stderr
    refund = stored_callbacks(listener, 3)[2]
    assert (refund["payment"]["status"], refund["operation"]["type"]) == (
        "partially refunded", "refund")
    assert refund["operation"]["sum_initial"] == {"amount": 999, "currency": "EUR"}
    assert verify(refund, SECRET).ok


def test_a_decline_card_ends_on_the_declined_page(ecp, sandbox, listener, page):
    page.goto(link(ecp, sandbox, "e2e-decline", f"merchant_callback_url={listener.url}/cb"))
    fill_card(page, "4111111111111111")
    page.click("button.pay")
    page.wait_for_selector("h1.status")
    assert page.inner_text("h1") == "Payment declined"
    assert "10000 General decline" in page.inner_text("main")
    [callback] = stored_callbacks(listener, 1)
    assert (callback["payment"]["status"], callback["operation"]["code"]) == ("decline", "10000")


def test_field_errors_show_on_the_form(ecp, sandbox, page):
    page.goto(link(ecp, sandbox, "e2e-fields"))
    fill_card(page, "4000000000000078")
    page.fill("#expiry_year", "2020")
    page.click("button.pay")
    page.wait_for_selector(".field.invalid")
    assert page.inner_text("#card_number-error") == (
        "This card number is not valid (check digit).")
    assert page.inner_text("#expiry_year-error") == "This card has expired."


def test_a_bad_signature_link_names_the_cause(ecp, sandbox, page):
    url = link(ecp, sandbox, "e2e-sig").replace("payment_amount=1999", "payment_amount=1")
    page.goto(url)
    assert page.inner_text("h1") == "The Payment Page refused this link"
    assert "3261 Invalid signature" in page.inner_text(".problems")
    # The amount was changed after signing: ecp's diagnosis says the body differs.
    assert page.inner_text("#cause").startswith("The body or the secret differs from what the "
                                                "sender signed")  # fmt: skip
    assert page.inner_text("#fix")
    assert SECRET not in page.content()


def test_description_with_markup_is_shown_as_text(ecp, sandbox, page):
    messages = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    run = ecp("url", "--amount", "100", "--currency", "EUR", "--base-url", sandbox.url,
              "--description", "<script>alert('x')</script>")  # fmt: skip
    page.goto(run.stdout.strip())
    assert "<script>alert('x')</script>" in page.inner_text("main")
    assert messages == []


def test_tokenize_flow(ecp, sandbox, listener, page):
    run = ecp("url", "--mode", "card_tokenize", "--customer-id", "customer-9", "--base-url",
              sandbox.url, "--param", f"merchant_callback_url={listener.url}/tokens")
    assert run.exit_code == 0, run.stderr
    page.goto(run.stdout.strip())
    assert page.inner_text("h1") == "Save a card"
    fill_card(page, "5252000000000004")
    page.click("button.pay")
    page.wait_for_selector("h1.status")
    assert page.inner_text("h1") == "Card saved"
    [callback] = stored_callbacks(listener, 1)
    assert callback["request"]["action"] == "tokenize"
    assert callback["card"]["number"] == "525200******0004"
    assert callback["token"] in page.inner_text("main")
