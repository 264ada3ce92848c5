"""The Payment Page over HTTP: the checkout, every outcome of the test-card table, the
refusals with the platform's codes, the card form's checks, redirects and escaping."""

import json
import re

import pytest

from ecp_cli.signing.signature import verify
from tests.sandbox.conftest import OTHER_SECRET, SECRET, main_data


def test_checkout_shows_amount_description_customer_and_the_test_cards(sandbox):
    page = sandbox.open(sandbox.link(payment_amount=31415, payment_currency="USD",
                                     payment_description="Two tickets",
                                     customer_first_name="Jane", customer_last_name="Doe",
                                     customer_email="jane@example.com"))  # fmt: skip
    assert page.status_code == 200
    assert main_data(page.text)["page"] == "checkout"
    assert '<p class="amount">314.15 USD</p>' in page.text
    assert "Two tickets" in page.text and "jane@example.com" in page.text
    assert 'id="card_holder" name="card_holder" value="JANE DOE"' in page.text
    assert '<label for="card_number">Card number</label>' in page.text
    assert 'data-card="4314220000000056"' in page.text  # the panel of test cards
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["referrer-policy"] == "no-referrer"


def test_zero_decimal_currency_is_shown_in_whole_units(sandbox):
    page = sandbox.open(sandbox.link(payment_amount=500, payment_currency="JPY"))
    assert '<p class="amount">500 JPY</p>' in page.text


def test_everything_from_the_request_is_escaped(sandbox):
    evil = '<script>alert("x")</script>'
    page = sandbox.open(sandbox.link(payment_description=evil, customer_email=f'a"{evil}',
                                     customer_first_name='"><img src=x onerror=alert(1)>'))
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page.text


def test_no_secret_on_any_page(sandbox):
    bad = sandbox.link().replace("signature=", "signature=A")
    pages = [sandbox.open(sandbox.link()), sandbox.open(bad), sandbox.client.get("/")]
    answer, session = sandbox.pay("4314220000000056")
    pages.append(sandbox.client.get(f"/result/{session}"))
    for page in pages:
        assert SECRET not in page.text and OTHER_SECRET not in page.text


def test_success_card_pays_and_sends_a_signed_callback(sandbox):
    answer, session = sandbox.pay("4000000000000077", payment_id="order-ok",
                                  payment_description="<b>cake</b>")  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == f"/result/{session}"
    result = sandbox.client.get(answer.headers["location"])
    facts = main_data(result.text)
    assert (facts["payment-status"], facts["code"], facts["payment-id"]) == ("success", "0",
                                                                           "order-ok")
    [callback] = sandbox.callbacks(1)
    assert verify(callback, SECRET).ok
    assert callback["payment"] == {
        "id": "order-ok", "type": "purchase", "status": "success",
        "date": callback["payment"]["date"], "method": "card",
        "sum": {"amount": 1999, "currency": "EUR"}, "description": "<b>cake</b>",
    }  # fmt: skip
    assert callback["account"]["number"] == "400000******0077"
    assert callback["account"]["card_holder"] == "Jane Tester"
    assert callback["customer"] == {"id": "customer-1"}
    operation = callback["operation"]
    assert (operation["type"], operation["status"], operation["code"], operation["message"]) == (
        "sale", "success", "0", "Success")
    assert operation["sum_initial"] == {"amount": 1999, "currency": "EUR"}
    assert operation["provider"]["auth_code"]


@pytest.mark.parametrize(
    ("card", "code"),
    [("4111111111111111", "10000"), ("4539121411168251", "10601"),
     ("4000000000000051", "3101")],  # the last one is no test card
)  # fmt: skip
def test_decline_cards_decline_with_their_code(sandbox, card, code):
    answer, session = sandbox.pay(card)
    facts = main_data(sandbox.client.get(f"/result/{session}").text)
    assert (facts["payment-status"], facts["code"]) == ("decline", code)
    [callback] = sandbox.callbacks(1)
    assert verify(callback, SECRET).ok
    assert (callback["payment"]["status"], callback["operation"]["code"]) == ("decline", code)
    assert callback["errors"][0]["code"] == int(code)


def test_3ds_challenge_right_code_succeeds_after_an_awaiting_callback(sandbox):
    page = sandbox.open(sandbox.link(payment_id="order-3ds"))
    session = sandbox.session(page)
    answer = sandbox.submit(session, "4314220000000056")
    assert answer.status_code == 303 and answer.headers["location"] == f"/acs/{session}"
    acs = sandbox.client.get(answer.headers["location"])
    assert main_data(acs.text)["page"] == "acs" and "431422******0056" in acs.text
    final = sandbox.client.post(f"/acs/{session}", data={"code": "1234"})
    assert final.headers["location"] == f"/result/{session}"
    first, second = sandbox.callbacks(2)
    assert (first["payment"]["status"], first["operation"]["status"]) == (
        "awaiting 3ds result", "awaiting 3ds result")
    assert first["acs"]["acs_url"] == f"{sandbox.url}/acs/{session}"
    assert (second["payment"]["status"], second["operation"]["eci"]) == ("success", "05")
    assert first["operation"]["id"] == second["operation"]["id"]
    assert verify(first, SECRET).ok and verify(second, SECRET).ok


def test_3ds_challenge_wrong_code_declines_with_104(sandbox):
    answer, session = sandbox.pay("5413330000000019", code="0000")
    facts = main_data(sandbox.client.get(f"/result/{session}").text)
    assert (facts["payment-status"], facts["code"]) == ("decline", "104")
    assert [c["payment"]["status"] for c in sandbox.callbacks(2)] == [
        "awaiting 3ds result", "decline"]


def test_3ds_challenge_decline_card_declines_even_with_the_right_code(sandbox):
    answer, session = sandbox.pay("4314220000000072", code="1234")
    assert main_data(sandbox.client.get(f"/result/{session}").text)["code"] == "104"


@pytest.mark.parametrize(("card", "status", "eci"), [
    ("4477000000000006", "success", "05"), ("4012000000020063", "decline", "07")])
def test_frictionless_3ds_needs_no_code(sandbox, card, status, eci):
    answer, session = sandbox.pay(card)
    assert answer.headers["location"] == f"/result/{session}"
    [callback] = sandbox.callbacks(1)
    assert (callback["payment"]["status"], callback["operation"]["eci"]) == (status, eci)


def test_auth_leaves_the_payment_awaiting_capture(sandbox):
    answer, session = sandbox.pay(operation_type="auth")
    [callback] = sandbox.callbacks(1)
    assert (callback["payment"]["status"], callback["operation"]["type"]) == (
        "awaiting capture", "auth")


def test_card_tokenize_issues_a_token_with_a_general_signature(sandbox):
    page = sandbox.open(sandbox.link(mode="card_tokenize", payment_id="", payment_amount="",
                                     payment_currency=""))  # fmt: skip
    assert page.status_code == 200 and "Save card" in page.text
    answer = sandbox.submit(sandbox.session(page), "4000000000000077")
    [callback] = sandbox.callbacks(1)
    assert verify(callback, SECRET).ok and "signature" in callback["general"]
    assert callback["request"] == {"id": callback["request"]["id"], "action": "tokenize",
                                   "status": "success"}  # fmt: skip
    assert callback["card"]["number"] == "400000******0077"
    assert len(callback["token"]) == 40 and callback["token_status"] == "active"
    assert main_data(sandbox.client.get(answer.headers["location"]).text)["payment-status"] == (
        "success")


def test_recurring_register_registers_card_on_file(sandbox):
    sandbox.pay("4000000000000119", recurring_register=1)
    [callback] = sandbox.callbacks(1)
    assert callback["recurring"]["status"] == "active" and callback["account"]["token"]


def test_payout_and_card_verify_modes(sandbox):
    sandbox.pay("4242424242424242", mode="payout")
    sandbox.pay("4000000000000077", mode="card_verify", payment_amount=0)
    # Each payment's callback is delivered on its own: they may arrive in either order.
    by_type = {body["payment"]["type"]: body for body in sandbox.callbacks(2)}
    assert set(by_type) == {"payout", "account verification"}
    assert by_type["payout"]["operation"]["type"] == "payout"


def test_redirects_to_the_shop_and_offers_return_links(sandbox):
    answer, session = sandbox.pay(redirect_success_url="https://shop.example/ok?a=1&b=2",
                                  merchant_success_url="https://shop.example/back")
    assert answer.headers["location"] == "https://shop.example/ok?a=1&b=2"
    page = sandbox.client.get(f"/result/{session}")
    assert '<a href="https://shop.example/back">Back to the shop</a>' in page.text
    answer, _ = sandbox.pay("4111111111111111", redirect_fail_url="https://shop.example/no")
    assert answer.headers["location"] == "https://shop.example/no"


def test_card_form_checks_each_field(sandbox):
    session = sandbox.session(sandbox.open(sandbox.link()))
    answer = sandbox.submit(session, "4000000000000078", expiry_month="13", expiry_year="2020",
                            cvv="12", card_holder=" ")  # fmt: skip
    assert answer.status_code == 422
    assert "This card number is not valid (check digit)." in answer.text
    assert "Enter the month as two digits, 01 to 12." in answer.text
    assert "The CVV is the 3 or 4 digits on the back of the card." in answer.text
    assert "Enter the name on the card." in answer.text
    assert 'aria-invalid="true"' in answer.text
    expired = sandbox.submit(session, "4000000000000077", expiry_month="01", expiry_year="2020")
    assert "This card has expired." in expired.text
    assert 'name="card_number" value=""' in expired.text  # the number is never shown back


def test_paying_twice_charges_once(sandbox):
    answer, session = sandbox.pay()
    again = sandbox.submit(session, "4111111111111111")
    assert again.headers["location"] == f"/result/{session}"
    assert len(sandbox.callbacks(1)) == 1


def test_card_number_masked_and_cvv_never_stored_or_logged(sandbox):
    sandbox.pay("4000000000000077")
    sandbox.callbacks(1)
    raw = sandbox.store_path.read_bytes() + b"".join(
        p.read_bytes() for p in sandbox.store_path.parent.glob("sandbox.sqlite3-*"))
    assert b"4000000000000077" not in raw and b"400000******0077" in raw
    assert b'"cvv"' not in raw
    assert not any("4000000000000077" in line for line in sandbox.logs)


# --- refusals ------------------------------------------------------------------------


def refusal(page) -> tuple[int, list[str]]:
    return page.status_code, re.findall(r"<li><strong>(\d+)</strong>", page.text)


def test_bad_signature_names_the_cause_from_ecps_diagnosis(sandbox):
    link = sandbox.link(payment_id="order-sig", secret=OTHER_SECRET)
    page = sandbox.open(link)
    assert refusal(page) == (400, ["3261"])
    assert "Invalid signature" in page.text
    cause = re.search(r'<p id="cause">([^<]*)</p>', page.text).group(1)
    assert "profile &#x27;other&#x27;" in cause  # made with the other project's secret
    assert re.search(r'<span id="fix">[^<]+</span>', page.text)


def test_missing_signature_is_3262_and_unknown_project_2442(sandbox):
    link = sandbox.link()
    assert refusal(sandbox.open(link.split("&signature=")[0]))[1] == ["3262"]
    assert refusal(sandbox.open(sandbox.link(project_id=999)))[1] == ["2442"]


@pytest.mark.parametrize(("params", "code"), [
    ({"payment_currency": "EURO"}, "3121"),
    ({"payment_id": ""}, "2004"),
    ({"payment_amount": ""}, "2004"),
    ({"payment_amount": 10**12}, "2642"),
    ({"payment_id": "x" * 256}, "3024"),
])  # fmt: skip
def test_parameter_problems_carry_the_platforms_code(sandbox, params, code):
    assert refusal(sandbox.open(sandbox.link(**params))) == (400, [code])


def test_format_problems_name_the_field(sandbox):
    page = sandbox.open(sandbox.link(best_before="2020-01-01T00:00:00+00:00",
                                     merchant_callback_url="javascript:alert(1)"))
    assert page.status_code == 400
    assert "best_before 2020-01-01T00:00:00+00:00 has passed: the link has expired" in page.text
    assert "merchant_callback_url must be an http:// or https:// URL" in page.text
    page = sandbox.open(sandbox.link(best_before="31.12.2030"))
    assert "best_before must be ISO 8601, such as 2026-12-31T23:59:59+00:00" in page.text
    naive_future = sandbox.open(sandbox.link(best_before="2099-01-01T00:00:00"))  # as UTC
    assert naive_future.status_code == 200


def test_reused_payment_id_is_3041_case_insensitively(sandbox):
    sandbox.pay(payment_id="Order-7")
    assert refusal(sandbox.open(sandbox.link(payment_id="order-7"))) == (400, ["3041"])
    # Opening an unpaid link again shows the same checkout.
    link = sandbox.link(payment_id="order-8")
    assert sandbox.session(sandbox.open(link)) == sandbox.session(sandbox.open(link))


def test_a_parameter_given_twice_is_refused(sandbox):
    page = sandbox.open(sandbox.link() + "&payment_amount=1")
    assert page.status_code == 400 and "appears more than once" in page.text


def test_links_from_the_python_sdk_open(sandbox):
    from payment_page_sdk.payment import Payment
    from payment_page_sdk.payment_page import PaymentPage
    from payment_page_sdk.signature_handler import SignatureHandler

    payment = Payment("112", "order-sdk")
    payment.payment_amount = 1000
    payment.payment_currency = "EUR"
    payment.payment_description = "SDK + spaces & more"
    payment.recurring_register = True  # travels as "True", signed as 1
    link = PaymentPage(SignatureHandler(SECRET), sandbox.url + "/payment").get_url(payment)
    page = sandbox.open(link)
    assert page.status_code == 200, page.text
    assert "SDK + spaces &amp; more" in page.text


# --- the server ----------------------------------------------------------------------


def test_body_limit_and_unknown_paths(sandbox):
    big = sandbox.client.post("/payment/pay", content=b"x" * (17 * 1024),
                              headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413
    assert sandbox.client.get("/nowhere").status_code == 404
    assert sandbox.client.get("/result/nothing").status_code == 404
    assert sandbox.client.get("/static/sandbox.css").headers["content-type"].startswith(
        "text/css")
    assert sandbox.client.get("/static/../app.py").status_code == 404
    assert sandbox.client.delete("/payment").status_code == 405


def test_home_page_lists_projects_and_masked_payments(sandbox):
    sandbox.pay("4000000000000077", payment_id="order-home")
    page = sandbox.client.get("/")
    assert f"api_url: {sandbox.url}" in page.text
    assert "order-home" in page.text and "400000******0077" in page.text


def test_callback_is_retried_until_the_shop_answers_200(sandbox, receiver):
    receiver.replies = [(500, "no"), (503, "later"), (200, "ok")]
    sandbox.pay()
    sandbox.callbacks(3)
    [delivery] = sandbox.store.deliveries()
    assert (delivery.outcome, delivery.attempts, delivery.last_status) == ("delivered", 3, 200)
    bodies = {r.body for r in receiver.requests}
    assert len(bodies) == 1 and verify(json.loads(bodies.pop()), SECRET).ok
    assert any("delivered (HTTP 200, 3 attempts)" in line for line in sandbox.logs)


def test_payments_survive_a_restart(sandbox):
    answer, session = sandbox.pay(payment_id="order-restart")
    sandbox.callbacks(1)
    sandbox.stop()
    sandbox.start()
    assert refusal(sandbox.open(sandbox.link(payment_id="order-restart")))[1] == ["3041"]
    assert main_data(sandbox.client.get(f"/result/{session}").text)["payment-status"] == (
        "success")


@pytest.mark.parametrize("card", ["4000000000000077", "4111111111111111", "4314220000000056"])
def test_callbacks_verify_with_the_official_python_sdk(sandbox, card):
    from payment_page_sdk.callback import Callback
    from payment_page_sdk.signature_handler import SignatureHandler

    sandbox.pay(card, payment_description="Ünïcode & <tags>")
    callbacks = sandbox.callbacks(2 if card == "4314220000000056" else 1)
    for raw in (r.body.decode("utf-8") for r in sandbox.receiver.requests):
        callback = Callback(raw, SignatureHandler(SECRET))  # raises when the signature is wrong
        assert callback.get_payment_status() in ("success", "decline", "awaiting 3ds result")
    assert callbacks


def test_log_lines_escape_control_characters_from_the_request(sandbox):
    sandbox.pay(payment_id="evil\x1b[2J\u202eid")
    sandbox.callbacks(1)
    lines = [line for line in sandbox.logs if "evil" in line]
    assert lines and all("\x1b" not in line and "\u202e" not in line for line in lines)
    assert any("evil\\x1b[2J\\u202eid" in line for line in lines)


def test_stopping_abandons_a_callback_waiting_for_its_next_try(sandbox, receiver):
    import time

    receiver.replies = [(500, "never")]
    sandbox.pay()
    deadline = time.monotonic() + 10
    while len(receiver.requests) < 7 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    sandbox.engine.close()  # the next try is 40 ms away at this scale, then growing
    assert time.monotonic() - started < 5
    [delivery] = sandbox.store.deliveries()
    assert (delivery.outcome, delivery.error) == ("abandoned", "sandbox stopped")
