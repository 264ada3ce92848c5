"""``ecp send`` and ``ecp callback``: signed callbacks from built-in scenarios or files,
POSTed to an endpoint or printed for fixtures."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.app import app
from ecp_cli.cli.common import State, exit_with, get_state, report_errors
from ecp_cli.errors import EcpError, InputError, NetworkError
from ecp_cli.exit_codes import ExitStatus

PANEL = "Callbacks"
SCENARIO_LIST = ", ".join(defaults.SCENARIO_NAMES)

# Options shared by `send` and `callback`.
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
    typer.Option(
        "--seed",
        metavar="N",
        help="Seed: the same N gives the same ids (and send's --shuffle order).",
    ),
]


def parse_overrides(
    payment_id: str | None,
    amount: str | None,
    currency: str | None,
    code: str | None,
    sets: list[str] | None,
):
    """Check the override flags and turn them into an Overrides."""
    from ecp_cli.callbacks.overrides import Overrides, parse_assignment

    overrides = Overrides(payment_id=payment_id)
    if amount is not None:
        text = amount.strip()
        if not (text.isascii() and text.isdigit()):
            raise InputError(
                f"--amount {amount}: expected a whole number of minor units (1999 for 19.99)"
            )
        overrides.amount = int(text)
    if currency is not None:
        from ecp_cli.payment_page import currencies

        if not currencies.is_known(currency):
            hint = currencies.suggest(currency)
            raise InputError(
                f"--currency {currency}: not an ISO 4217 currency code"
                + (f"; did you mean {hint}?" if hint else "")
            )
        overrides.currency = currency
    if code is not None:
        from ecp_cli.callbacks.reference import response_code

        try:
            overrides.code = response_code(code).code
        except (TypeError, ValueError):
            raise InputError(f"--code {code}: expected a numeric response code") from None
    overrides.sets = [parse_assignment(item) for item in sets or []]
    return overrides


def prepare_callbacks(
    state: State,
    source: str | None,
    from_file: str | None,
    overrides,
    *,
    sequence: bool,
    bad_signature: bool,
    keep_signature: bool,
    rng,
):
    """The signed callbacks a command works on; warnings go to stderr."""
    from ecp_cli.callbacks.scenarios import prepare

    if source is not None and from_file is not None:
        raise InputError("give a scenario or FILE, or --from FILE, not both")
    name = source if source is not None else from_file
    if name is None:
        raise InputError(f"nothing to send: give a scenario ({SCENARIO_LIST}) or a file")
    profile = state.profile()
    prepared, warnings = prepare(
        name,
        secret=profile.signing_secret,
        project_id=profile.project_id,
        overrides=overrides,
        sequence=sequence,
        bad_signature=bad_signature,
        keep_signature=keep_signature,
        stdin=state.env.stdin,
        rng=rng,
    )
    for warning in warnings:
        state.warn(warning)
    return prepared


@app.command(rich_help_panel=PANEL)
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
    seed: SeedOpt = None,
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

      ecp send decline --code 10102 --payment-id o-42 --to http://127.0.0.1:8000/

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


class DeliveryReport:
    """Prints deliveries as they happen (or collects them for --json) and decides the exit
    status. Shared with ``ecp events replay``."""

    def __init__(self, state: State, url: str, *, as_json: bool, retrying: bool):
        self.state, self.url, self.as_json, self.retrying = state, url, as_json, retrying
        self.records: list[dict] = []
        self.network_error: EcpError | None = None

    def begin(self, index: int, total: int, summary) -> None:
        self.records.append(
            {
                "delivery": index,
                "payment_id": summary.payment_id,
                "payment_status": summary.payment_status,
                "operation_type": summary.operation_type,
                "operation_status": summary.operation_status,
                "code": summary.code,
                "attempts": [],
            }
        )
        if not self.as_json:
            from ecp_cli.cli.callback_output import summary_text

            self._out(f"[{index}/{total}] {summary_text(summary)}")

    def reply(self, reply, next_wait: float | None) -> None:
        self.records[-1]["attempts"].append(reply.public())
        if not self.as_json:
            from ecp_cli.cli.callback_output import reply_line

            self._out("      " + reply_line(reply, next_wait, retrying=self.retrying))

    def failed(self, error: EcpError) -> None:
        from ecp_cli.http.delivery import Reply

        self.network_error = error
        attempt = Reply(None, 0.0, error=error.message).public()
        attempt["elapsed_ms"] = None  # nothing was measured: there was no answer
        self.records[-1]["attempts"].append(attempt)

    def _out(self, text: str) -> None:
        self.state.out(text)
        self.state.env.stdout.flush()  # replies show as they come, even through a pipe

    def finish(self) -> None:
        finals = [record["attempts"][-1] for record in self.records if record["attempts"]]
        statuses = [attempt.get("status") for attempt in finals]
        all_ok = bool(statuses) and all(s is not None and 200 <= s < 300 for s in statuses)
        for record, final in zip(self.records, finals, strict=False):
            record["ok"] = final.get("status") is not None and 200 <= final["status"] < 300
        if self.as_json:
            self.state.print_json(
                {
                    "url": self.url,
                    "ok": all_ok and not self.network_error,
                    "deliveries": self.records,
                }
            )
        not_200 = sorted({s for s in statuses if s is not None and 200 < s < 300})
        if not_200:
            self.state.warn(
                f"the endpoint answered {', '.join(map(str, not_200))}: the platform treats "
                "anything but 200 as a failure and delivers the callback again"
            )
        if self.network_error is not None:
            raise self.network_error
        if any(s is None for s in statuses):  # retries ended without any answer
            raise NetworkError(finals[-1].get("error") or f"{self.url}: no answer")
        exit_with(ExitStatus.OK if all_ok else ExitStatus.FAILURE)


@app.command(rich_help_panel=PANEL)
@report_errors
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

    Examples:

      ecp callback success > tests/fixtures/ecommpay_success.json

      ecp callback decline --code 10102 --set customer.id=user-7

      ecp callback 3ds --sequence --seed 1 > tests/fixtures/3ds.jsonl

      ecp callback --from old.json --set payment.id=order-99
    """
    import json
    import random

    state = get_state(ctx)
    overrides = parse_overrides(payment_id, amount, currency, code, sets)
    prepared = prepare_callbacks(
        state, source, from_file, overrides, sequence=sequence,
        bad_signature=bad_signature, keep_signature=keep_signature, rng=random.Random(seed),
    )  # fmt: skip
    if sequence:
        for item in prepared:
            state.out(json.dumps(item.body, ensure_ascii=False))
    else:
        state.print_json(prepared[0].body)
