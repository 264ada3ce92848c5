"""What ``ecp send`` and ``ecp callback`` share: the scenario argument and the options that
edit a callback. Turning them into signed callbacks is cli/scenario_callbacks.py's work."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.scenario_callbacks import SCENARIO_LIST

SourceArg = Annotated[
    str | None,
    typer.Argument(
        metavar="SCENARIO|FILE",
        help=f"A built-in scenario ({SCENARIO_LIST}) or a callback file; - reads stdin.",
        show_default=False,
    ),
]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="FILE", help="Start from this callback file (or - for stdin)."),
]
PaymentIdOpt = Annotated[
    str | None, typer.Option("--payment-id", metavar="ID", help="Set payment.id.")
]
AmountOpt = Annotated[
    str | None,
    typer.Option(
        "--amount",
        metavar="MINOR",
        help=f"Amount in minor units ({defaults.SCENARIO_AMOUNT} = "
        f"{defaults.SCENARIO_AMOUNT / 100:.2f} {defaults.SCENARIO_CURRENCY}).",
    ),
]
CurrencyOpt = Annotated[
    str | None, typer.Option("--currency", metavar="XXX", help="ISO 4217 code, e.g. USD.")
]
CodeOpt = Annotated[
    str | None,
    typer.Option(
        "--code",
        metavar="CODE",
        help=f"Response code for decline (default {defaults.SCENARIO_DECLINE_CODE}) and error.",
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Set any field: payment.sum.amount=500, errors.0.field=email, operation.code='\"0\"'.",
    ),
]
SequenceOpt = Annotated[
    bool,
    typer.Option("--sequence", help="Intermediate callback(s) first, then the final one."),
]
BadSignatureOpt = Annotated[
    bool,
    typer.Option("--bad-signature", help="Sign with a wrong key: the endpoint must reject it."),
]
KeepSignatureOpt = Annotated[
    bool,
    typer.Option("--keep-signature", help="With a file: keep its signature, do not re-sign."),
]
SeedOpt = Annotated[
    int | None,
    typer.Option("--seed", metavar="N", help="Seed: the same N gives the same generated ids."),
]
SendSeedOpt = Annotated[
    int | None,
    typer.Option(
        "--seed",
        metavar="N",
        help="Seed: the same N gives the same generated ids and --shuffle order.",
    ),
]
