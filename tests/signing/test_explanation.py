"""explanation.py: a diagnosis as the lines ``ecp verify --explain`` and ``ecp decode`` print."""

import copy

from ecp_cli.signing.diagnosis import diagnose
from ecp_cli.signing.explanation import explain_lines
from ecp_cli.signing.signature import embed_signature, sign, signed_string
from tests.conftest import load_sample

SECRET = "s3cr3t-EXPLAIN-Q7"


def signed(secret: str) -> dict:
    data = load_sample("purchase_success.json")
    data.pop("signature", None)
    return embed_signature(data, sign(data, secret))


def test_the_strings_signatures_verdict_and_fix_come_first():
    data = signed("unknown-secret")
    found = diagnose(data, SECRET)
    assert explain_lines(found)[:5] == [
        f"string ecp signed:  {signed_string(data)}",
        f"received signature: {data['signature']}",
        f"expected signature: {sign(data, SECRET)}",
        f"diagnosis: {found.message}",
        f"what to change: {found.hint}",
    ]


def test_each_difference_from_a_known_good_copy_is_a_line():
    good = signed(SECRET)
    received = copy.deepcopy(good)
    received["payment"]["description"] = "changed"
    received["operation"]["provider"]["id"] = "3"  # a type change: same signed text
    del received["decision"]
    lines = explain_lines(diagnose(received, SECRET, against=good))
    start = lines.index("differences from the known-good copy:")
    assert sorted(lines[start + 1 :]) == sorted(
        [
            f"  - payment:description: {good['payment']['description']!r} became 'changed'",
            f"  - decision:message: missing (known-good: {good['decision']['message']!r})",
            f"  - operation:provider:id: {good['operation']['provider']['id']!r} became '3' "
            "(does not change the string to sign)",
        ]
    )


def test_a_long_list_of_differences_is_cut():
    good = signed(SECRET)
    received = copy.deepcopy(good)
    for key in list(received["payment"])[:4]:
        received["payment"][key] = "x"
    found = diagnose(received, SECRET, against=good)
    diff = found.details["diff"]
    assert len(diff) == 4
    lines = explain_lines(found, limit=2)
    start = lines.index("differences from the known-good copy:")
    assert len(lines[start + 1 : -1]) == 2
    assert lines[-1] == "  ... and 2 more"
