"""Links built by the real SDKs' Payment Page builders (tests/fixtures/oracles) against the
sandbox's signature check: it accepts every link the platform's own rule (the PHP SDK) or
booleans sent as words explain, and refuses, as the platform does, the links an SDK signed
its own way (the error page then names that SDK, from ecp's diagnosis)."""

from urllib.parse import urlsplit

import pytest

from ecp_cli.payment_page.decoding import decode_url
from ecp_cli.sandbox.app import parse_query
from ecp_cli.sandbox.checks import signature_matches
from tests.signing.test_oracles import SECRETS, rows


def accepted(url: str, secret: str) -> bool:
    params, signature, problem = parse_query(urlsplit(url).query)
    assert problem is None and signature
    return signature_matches(params, signature, secret)


@pytest.mark.parametrize("sdk", ["php", "js", "go", "python", "python-1.0.6"])
def test_links_of_each_sdk(sdk):
    wrong, accepted_count = [], 0
    for row in rows(f"{sdk}-links"):
        secret = SECRETS[row["secret"]]
        report = decode_url(row["url"], secret)
        variants = report.diagnosis.details.get("variants", []) if report.diagnosis else []
        expected = report.verdict == "valid" or variants[:1] == ["booleans_sent_as_words"]
        if accepted(row["url"], secret) != expected:
            wrong.append((row["id"], report.verdict, variants))
        accepted_count += expected
    assert wrong == []
    assert accepted_count >= (300 if sdk == "php" else 150)
