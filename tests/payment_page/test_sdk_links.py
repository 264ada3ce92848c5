"""Payment Page links built by the real SDKs' URL builders (tests/fixtures/oracles): the
PHP SDK's verify, and every link another SDK built that does not is put down to that SDK,
with both causes named when there are two (booleans sent as words on top of the SDK's own
order or colon handling)."""

import pytest

from ecp_cli.payment_page.decoding import decode_url, split_url
from ecp_cli.signing.sdk_variants import VARIANTS, combine
from tests.signing.test_oracles import SECRETS, rows


def test_every_link_the_php_sdk_builds_verifies():
    problems = []
    for row in rows("php-links"):
        report = decode_url(row["url"], SECRETS[row["secret"]])
        if report.verdict != "valid":
            problems.append((row["id"], report.verdict, report.diagnosis))
    assert not problems, problems[:3]


@pytest.mark.parametrize(
    ("sdk", "variant"),
    [("python", "python"), ("python-1.0.6", "python_1_0_6"), ("js", "js"), ("go", "go")],
)
def test_every_link_another_sdk_builds_is_put_down_to_that_sdk(sdk, variant):
    problems, pairs = [], 0
    built = {row["id"]: row["params"] for row in rows("links")}
    for row in rows(f"{sdk}-links"):
        report = decode_url(row["url"], SECRETS[row["secret"]])
        if report.verdict == "valid":
            continue
        found = report.diagnosis
        names = [] if found.cause != "sdk_variant" else found.details["variants"]
        # The string the SDK signs, words true/false read back as the 1/0 it signed: the
        # diagnosis must have found it (named after the SDK, or after the booleans alone
        # when the SDK's order and keys happen to agree with the spec for this link).
        params = split_url(row["url"]).params()
        booleans = frozenset(
            (name,) for name, value in built[row["id"]].items() if isinstance(value, bool)
        )
        words = {"True": True, "False": False} if sdk.startswith("python") else None
        sdk_string = combine(
            VARIANTS["booleans_sent_as_words"], VARIANTS[variant], booleans,
            words or {"true": True, "false": False},
        )
        if found.details.get("variant_string_to_sign") != sdk_string.string_to_sign(params):
            problems.append((row["id"], found.cause, names, row["url"]))
        elif names[0] != "booleans_sent_as_words" and variant not in {
            name.split("+")[0] for name in names
        }:
            problems.append((row["id"], "misnamed", names, row["url"]))
        pairs += any("+" in name for name in names)
    assert not problems, problems[:3]
    assert pairs > 10  # booleans as True/true on top of the SDK's own way


def test_ecp_builds_the_links_the_php_sdk_builds():
    from ecp_cli.payment_page.url import build_url

    problems = []
    for row in rows("php-links"):
        spec = built_params()[row["id"]]
        params = {"project_id": spec["project_id"], "interface_type": '{"id":23}',
                  "payment_id": spec["payment_id"]}
        for name, value in spec["params"].items():  # http_build_query: true is 1
            params[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        url = build_url("https://paymentpage.ecommpay.com", params, SECRETS[row["secret"]]).url
        # Byte for byte, but for spaces: ecp writes %20 where http_build_query writes +;
        # the platform reads both as a space.
        if url != row["url"].replace("+", "%20"):
            problems.append((row["id"], url, row["url"]))
    assert not problems, problems[:3]


def built_params() -> dict:
    return {row["id"]: row for row in rows("links")}
