"""External anchors every test module may use: the worked example of the platform's
signature spec (docs/spec/signature.md, secret "secret") and what PHP itself produced
(tests/fixtures/php)."""

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

SPEC_EXAMPLE = {
    "project_id": 12345,
    "payment_id": "X03936",
    "payment_amount": 2035,
    "payment_currency": "USD",
    "payment_description": "Guyliner purchase",
    "customer_id": "user007",
    "customer_first_name": "Jack",
    "customer_last_name": "Sparrow",
    "customer_phone": "02081234567",
    "close_on_missclick": True,
}
SPEC_STRING = (
    "close_on_missclick:1;customer_first_name:Jack;customer_id:user007;"
    "customer_last_name:Sparrow;customer_phone:02081234567;payment_amount:2035;"
    "payment_currency:USD;payment_description:Guyliner purchase;payment_id:X03936;"
    "project_id:12345"
)
SPEC_SIGNATURE = (
    "SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A=="
)

PHP_SIGNATURES = json.loads((FIXTURES / "php" / "signatures.json").read_text(encoding="utf-8"))
# Documents to leave out of the comparison with PHP: none since ecp signs integers beyond
# 64 bits as the floats json_decode makes of them.
PHP_ARTEFACTS: set[str] = set()
