"""``ecp send``: signed callbacks from built-in scenarios or files, POSTed to an endpoint."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.callback_output import DeliveryReport
from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.cli.scenario_callbacks import parse_overrides, prepare_callbacks
from ecp_cli.cli.scenario_options import (
    AmountOpt,
    BadSignatureOpt,
    CodeOpt,
    CurrencyOpt,
    FromOpt,
    KeepSignatureOpt,
    PaymentIdOpt,
    SendSeedOpt,
    SequenceOpt,
    SetOpt,
    SourceArg,
)
from ecp_cli.errors import NetworkError


@report_errors
def send(
    ctx: typer.Context,
    source: SourceArg = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="URL",
            help="Your callback endpoint (default: ecp listen's, http://127.0.0.1:8765/).",
        ),
    ] = None,
    from_file: FromOpt = None,
    payment_id: PaymentIdOpt = None,
    amount: AmountOpt = None,
    currency: CurrencyOpt = None,
    code: CodeOpt = None,
    sets: SetOpt = None,
    sequence: SequenceOpt = False,
    duplicate: Annotated[
        bool, typer.Option("--duplicate", help="Deliver every callback twice.")
    ] = False,
    shuffle: Annotated[
        bool, typer.Option("--shuffle", help="Deliver out of order (final before intermediate).")
    ] = False,
    bad_signature: BadSignatureOpt = False,
    keep_signature: KeepSignatureOpt = False,
    retry: Annotated[
        bool,
        typer.Option("--retry", help="Redeliver like the platform until the endpoint answers 200."),
    ] = False,
    retry_scale: Annotated[
        float,
        typer.Option(
            "--retry-scale",
            metavar="F",
            min=0.0,
            help="Multiply the retry waits (0.01: 100x faster).",
        ),
    ] = 1.0,
    max_attempts: Annotated[
        int,
        typer.Option("--max-attempts", metavar="N", min=1, help="Give up after N attempts."),
    ] = defaults.DELIVERY_MAX_ATTEMPTS,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", min=0.001, help="Wait this long for an answer."
        ),
    ] = defaults.DELIVERY_TIMEOUT,
    seed: SendSeedOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the deliveries and replies as JSON.")
    ] = False,
) -> None:
    """POST signed callbacks to your endpoint and show its replies.

    The callbacks are signed and sent exactly as the platform would; each
    reply is shown as it comes: status, time, start of the body. Without --to
    they go to a local `ecp listen` started with no options (a note on stderr
    says so).

    Exit status: 0 every callback's last attempt got a 2xx answer, 1 the
    endpoint answered otherwise, 2 bad input, 3 the endpoint could not be
    reached.

    Examples:

      ecp send success                  (to a local `ecp listen`)

      ecp send success --to http://localhost:8000/ecommpay/callback

      ecp send decline --code 10102 --payment-id o-42 --to http://127.0.0.1:8000

      ecp send 3ds --sequence --shuffle --duplicate --to http://127.0.0.1:8000/

      ecp send success --retry --retry-scale 0.01 --to http://127.0.0.1:8000/

      ecp send saved.json --keep-signature --to http://127.0.0.1:8000/
    """
    import random

    from ecp_cli.callbacks.scenarios import deliveries
    from ecp_cli.http.delivery import deliver
    from ecp_cli.http.urls import check_url
    from ecp_cli.listen.store import summarize

    state = get_state(ctx)
    if to is None:
        to = defaults.LOCAL_LISTENER_URL
        state.note(f"sending to {to}, where `ecp listen` receives (--to URL for another)")
    check_url(to)
    rng = random.Random(seed)
    overrides = parse_overrides(payment_id, amount, currency, code, sets)
    prepared = prepare_callbacks(
        state, source, from_file, overrides, sequence=sequence,
        bad_signature=bad_signature, keep_signature=keep_signature, rng=rng,
    )  # fmt: skip
    queue = deliveries(prepared, duplicate=duplicate, shuffle=shuffle, rng=rng)
    from ecp_cli.http.client import make_client

    report = DeliveryReport(state, to, as_json=as_json, retrying=retry)
    with make_client(timeout=timeout) as client:  # one connection kept alive for all
        for index, item in enumerate(queue, start=1):
            report.begin(index, len(queue), summarize(item.body))
            try:
                deliver(
                    to, item.raw, retry=retry, retry_scale=retry_scale,
                    max_attempts=max_attempts, timeout=timeout, on_reply=report.reply,
                    client=client,
                )  # fmt: skip
            except NetworkError as error:
                report.failed(error)
                break
    report.finish()
