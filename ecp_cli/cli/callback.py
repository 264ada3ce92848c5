"""``ecp callback``: a signed callback printed, not sent: fixtures for your own tests."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli.cli.actions import callback as action
from ecp_cli.cli.common import runs
from ecp_cli.cli.scenario_options import (
    AmountOpt,
    BadSignatureOpt,
    CodeOpt,
    CurrencyOpt,
    FromOpt,
    KeepSignatureOpt,
    PaymentIdOpt,
    SeedOpt,
    SetOpt,
    SourceArg,
)


@runs(action)
def callback(
    ctx: typer.Context,
    source: SourceArg = None,
    from_file: FromOpt = None,
    payment_id: PaymentIdOpt = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    code: CodeOpt = None,
    sets: SetOpt = None,
    sequence: Annotated[
        bool,
        typer.Option(
            "--sequence", help="Intermediate callback(s), then the final one: one JSON per line."
        ),
    ] = False,
    bad_signature: BadSignatureOpt = False,
    keep_signature: KeepSignatureOpt = False,
    seed: SeedOpt = None,
) -> None:
    """Print a signed callback without sending it: fixtures for your own tests.

    One scenario prints indented JSON; with --sequence, one compact JSON
    object per line.

    Exit status: 0 printed, 2 bad input (an unknown scenario, a bad flag, no
    secret).

    Examples:

      ecp callback success > tests/fixtures/ecommpay_success.json

      ecp callback decline --code 10102 --set customer.id=user-7

      ecp callback 3ds --sequence --seed 1 > tests/fixtures/3ds.jsonl

      ecp callback --from old.json --set payment.id=order-99
    """
