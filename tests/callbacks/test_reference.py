import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.callbacks import advice, meanings, reference
from ecp_cli.callbacks.meanings import CATEGORY_MEANINGS

DATA = Path(reference.__file__).parents[1] / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- response codes ----------------------------------------------------------------------


def test_all_378_codes_load():
    codes = reference.all_response_codes()
    assert len(codes) == 378
    assert all(info.known and not info.inferred for info in codes)
    assert [int(info.code) for info in codes] == sorted(int(info.code) for info in codes)


def test_every_category_and_action_is_explained():
    for info in reference.all_response_codes():
        assert info.category in CATEGORY_MEANINGS, info.code
        assert info.action in advice.ACTION_ADVICE, info.code
        assert info.meaning and info.what_to_do and info.short_advice
        assert info.advice_source in advice.SOURCE_TEXTS, info.code


def test_success_code():
    info = reference.response_code(0)
    assert (info.code, info.category, info.message, info.action) == (
        "0",
        "success",
        "Success",
        "none",
    )
    assert "succeeded" in info.what_to_do


@pytest.mark.parametrize("given", ["10105", 10105, " 10105 ", "010105"])
def test_code_forms(given):
    info = reference.response_code(given)
    assert info.code == "10105"
    assert info.category == "issuer"
    assert info.message == "Insufficient funds on card"
    assert info.action == "customer"  # the list says "retry": see advice.ACTION_CORRECTIONS
    assert info.known and not info.inferred


def test_quoted_comma_in_message():
    assert reference.response_code(3107).message == (
        "Payout Constraint, card without successful purchase"
    )
    assert reference.response_code(3107).action == "contact-support"
    assert reference.response_code(20111).message == (
        "Operation declined by PSP because the Direct Debit mandate is inactive, cancelled, "
        "or expired"
    )


def test_crlf_does_not_leak_into_fields():
    for info in reference.all_response_codes():
        assert "\r" not in info.action and "\n" not in info.action


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.glob("*.csv")))
def test_shipped_data_has_unix_line_endings(name):
    # The platform's reference came with Windows line endings; ecp ships LF only, so that a
    # diff, grep or cut of the data shows no stray carriage returns.
    data = (DATA / name).read_bytes()
    assert b"\r" not in data
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")


@pytest.mark.parametrize(
    ("code", "category", "action"),
    [
        (9999, "pending", "wait"),
        (19999, "pending", "wait"),
        ("29999", "pending", "wait"),
    ],
)
def test_pending_codes(code, category, action):
    info = reference.response_code(code)
    assert (info.category, info.action, info.message) == (category, action, "Awaiting processing")


@pytest.mark.parametrize(
    ("code", "category", "action"),
    [
        (1400, "risk", "none"),
        (1498, "risk", "none"),
        (2000, "request", "fix-request"),
        (3000, "business", "contact-support"),
        (3999, "business", "contact-support"),
        (10999, "issuer", "retry"),
        (20999, "provider", "retry"),
        (30999, "merchant", "none"),
    ],
)
def test_range_inference_for_unlisted_codes(code, category, action):
    assert str(code) not in {row["code"] for row in _rows("response_codes.csv")}
    info = reference.response_code(code)
    assert info.category == category
    assert info.action == action
    assert info.known and info.inferred
    assert info.meaning == CATEGORY_MEANINGS[category]
    assert info.what_to_do == advice.general_advice(category, action).text
    assert info.message  # neutral text, not the empty string


@pytest.mark.parametrize("code", [1, 105, 999, 1000, 1399, 1500, 4000, 9998, 11000, 12345, 99999])
def test_codes_outside_every_range(code):
    info = reference.response_code(code)
    assert info.category == "unknown"
    assert not info.known and not info.inferred
    assert info.message == "Not in the platform's list of response codes."


@pytest.mark.parametrize("bad", ["abc", "", "  ", "-1", "10.5", "1e3", "²", -1])
def test_invalid_codes(bad):
    with pytest.raises(ValueError):
        reference.response_code(bad)


def test_code_must_not_be_bool_or_float():
    with pytest.raises(TypeError):
        reference.response_code(True)
    with pytest.raises(TypeError):
        reference.response_code(10105.0)


def test_codes_get_their_own_advice_or_their_action_class_advice():
    specific = reference.response_code(3261)
    assert specific.what_to_do == advice.CODE_ADVICE["3261"].text
    assert specific.advice_source == "ecp"
    general = reference.response_code(3106)  # retry-later, nothing specific written
    assert general.what_to_do == advice.ACTION_ADVICE["retry-later"]
    assert general.advice_source == "action class"


def test_the_corrected_action_classes():
    assert {code: reference.response_code(code).action for code in ("3061", "10105", "20899")} == {
        "3061": "fix-request",
        "10105": "customer",
        "20899": "wait",
    }
    listed = {row["code"]: row["action"] for row in _rows("response_codes.csv")}
    assert (listed["3061"], listed["10105"], listed["20899"]) == ("retry", "retry", "none")


# --- statuses and types ------------------------------------------------------------------


def test_every_status_in_csv_is_explained():
    rows = [row for row in _rows("statuses.csv") if row["field"].endswith(".status")]
    assert len(rows) == 48
    for row in rows:
        find = (
            reference.payment_status
            if row["field"] == "payment.status"
            else reference.operation_status
        )
        info = find(row["value"])
        assert info is not None, row
        assert info.final == (row["final"] == "yes"), row
        assert info.meaning, row
        assert info.meaning not in (meanings.FALLBACK_FINAL, meanings.FALLBACK_INTERMEDIATE)


def test_explanations_cover_exactly_the_csv():
    rows = _rows("statuses.csv")

    def values(field):
        return {reference.fold(row["value"]) for row in rows if row["field"] == field}

    assert set(meanings.PAYMENT_STATUS_MEANINGS) == values("payment.status")
    assert set(meanings.OPERATION_STATUS_MEANINGS) == values("operation.status")
    assert set(meanings.PAYMENT_TYPE_MEANINGS) == values("payment.type")
    assert set(meanings.OPERATION_TYPE_MEANINGS) == values("operation.type")


def test_every_type_in_csv_is_explained():
    for row in _rows("statuses.csv"):
        if row["field"] == "payment.type":
            assert reference.payment_type(row["value"]), row
        elif row["field"] == "operation.type":
            assert reference.operation_type(row["value"]), row


def test_cancelled_and_canceled_are_one_status():
    cancelled = reference.payment_status("cancelled")
    assert cancelled is not None and cancelled.final
    assert reference.payment_status("canceled") == cancelled
    assert reference.payment_status("CANCELED") == cancelled
    assert reference.payment_status("invoice canceled") == reference.payment_status(
        "invoice cancelled"
    )
    # Listed once even though the CSV has both spellings.
    assert [s.value for s in reference.all_statuses()].count("cancelled") == 1


def test_status_details():
    capture = reference.payment_status("awaiting capture")
    assert capture.field == "payment.status"
    assert not capture.final
    assert "capture" in capture.meaning and "cancel" in capture.meaning
    assert reference.operation_status("awaiting capture") is None  # payment-only status
    assert reference.operation_status("decline").final
    assert reference.payment_status("no such status") is None
    assert reference.payment_status(None) is None


def test_types():
    assert "held" in reference.operation_type("auth")
    assert reference.payment_type("purchase")
    assert reference.payment_type("sale") is None  # an operation type only
    assert reference.operation_type("Recurring_Cancel") == reference.operation_type(
        "recurring cancel"
    )
    assert reference.operation_type("nope") is None


def test_lookup_digits_give_a_code():
    (info,) = reference.lookup(" 10105 ")
    assert isinstance(info, reference.CodeInfo)
    assert info.message == "Insufficient funds on card"


def test_lookup_status_in_both_tables():
    found = reference.lookup("awaiting_3ds_result")
    assert [(m.field, m.value) for m in found] == [
        ("payment.status", "awaiting 3ds result"),
        ("operation.status", "awaiting 3ds result"),
    ]
    assert all(isinstance(m, reference.StatusInfo) for m in found)


def test_lookup_is_case_insensitive():
    assert [m.field for m in reference.lookup("SUCCESS")] == ["payment.status", "operation.status"]


def test_lookup_types():
    found = reference.lookup("payout")
    assert [(type(m).__name__, m.field) for m in found] == [
        ("TypeInfo", "payment.type"),
        ("TypeInfo", "operation.type"),
    ]
    assert [m.field for m in reference.lookup("sale")] == ["operation.type"]


@pytest.mark.parametrize("term", ["", "   ", "nothing like it", "awaiting"])
def test_lookup_no_match(term):
    assert reference.lookup(term) == []


def test_suggest_term():
    assert reference.suggest_term("awaiting captur")[0] == "awaiting capture"
    assert reference.suggest_term("sucess")[0] == "success"
    assert "cancelled" in reference.suggest_term("cancled")
    assert reference.suggest_term("zzzzzz") == []
    assert reference.suggest_term("") == []


@pytest.mark.parametrize("name", ["response_codes.csv", "statuses.csv"])
def test_the_shipped_files_read_as_csv_dict_reader_reads_them(name):
    assert reference._read_csv(name) == _rows(name)


def test_one_code_s_row_is_the_row_csv_dict_reader_reads():
    # reference finds one code's row by its line; the file keeps that possible.
    rows = _rows("response_codes.csv")
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes)
    assert all(code == str(int(code)) for code in codes)
    assert not any("\n" in field or "\r" in field for row in rows for field in row.values())
    for row in rows:
        assert reference._code_row(row["code"]) == row
    for missing in ["1", "99999", "", "code", "category"]:
        assert reference._code_row(missing) is None


# reference folds names with str methods, not re (importing re costs ecp show start-up
# time): the regular expressions it replaced are the oracle. Pieces that make the edge
# cases likely: the word in several cases, word characters of other scripts next to it,
# separators, whitespace that is not a space, a dotted capital I (its lower case is two
# characters long).
_PIECES = st.sampled_from(
    ["canceled", "CANCELED", "Canceled", "cAnCeLeD", "cancelled", "cancel", "ed", "_", "-",
     " ", "\t", "\u00a0", "\x1c", "\u2028", "x", "7", "\u00e9", "\u0660", "\u00b2", "\u0130",
     "\u212a", ".", "3DS", "Awaiting"]
)  # fmt: skip
_NAMES = st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=12))


@given(_NAMES)
def test_fold_is_the_regular_expressions(term):
    folded = re.sub(r"[\s_\-]+", " ", term.strip().lower())
    assert reference.fold(term) == re.sub(r"\bcanceled\b", "cancelled", folded)


@given(_NAMES)
def test_cancelled_is_the_regular_expression(text):
    assert reference.cancelled(text) == re.sub(r"\bcanceled\b", "cancelled", text)
    expected = re.sub(r"\bcanceled\b", "cancelled", text, flags=re.IGNORECASE)
    assert reference.cancelled(text, any_case=True) == expected


def test_folding_examples():
    assert reference.fold(" Awaiting_3DS-Result ") == "awaiting 3ds result"
    assert reference.fold("_partially  canceled-") == " partially cancelled "
    assert reference.fold("__") == " "
    assert reference.fold("") == ""
    assert reference.cancelled("Canceled, canceled_x canceled") == "Canceled, canceled_x cancelled"
    assert reference.cancelled("CANCELED précanceled", any_case=True) == "cancelled précanceled"


@pytest.mark.parametrize("extra", ["1", "99999", "10999", "9999", 0, " 3028 ", "00100"])
def test_code_message_is_response_code_s_message(extra):
    # code_message spares ecp callback the advice; the message is the same.
    for code in [row["code"] for row in _rows("response_codes.csv")] + [extra]:
        assert reference.code_message(code) == reference.response_code(code).message
    for bad in ["x", "-1", "²", True, 1.5]:
        with pytest.raises((TypeError, ValueError)):
            reference.code_message(bad)


def test_one_status_s_row_is_the_one_the_whole_table_keeps():
    # reference finds one status or type by its line; the file keeps that possible.
    rows = _rows("statuses.csv")
    assert not any(set(field) & set(',"\r\n') for row in rows for field in row.values())
    tables = reference._statuses()
    for field, table in tables.items():
        for key, info in table.items():
            assert reference._status_entry(field, key) == info
    for row in rows:
        field, value = row["field"], row["value"]
        assert reference._find(field, value) == tables[field][reference.fold(value)]
        for odd in [value.upper(), f" {value}_", f"{value},yes", f"{value},", f'"{value}"']:
            assert reference._find(field, odd) == tables[field].get(reference.fold(odd))
    for odd in ["", " ", ",", "payment.status", "success,yes", "nothing"]:
        for field, table in tables.items():
            assert reference._find(field, odd) == table.get(reference.fold(odd))
