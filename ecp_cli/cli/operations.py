"""``ecp capture``, ``ecp cancel``, ``ecp refund``: the Gate API's card operations on a
payment, signed with the profile's secret, sent to the profile's api_url (the platform or
``ecp sandbox``). Same timeouts, retries, exit statuses and --json as ``ecp status``.

The HTTP client is imported inside the commands, so other commands start without it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.common import exit_with, get_state, report_errors
from ecp_cli.cli.gate_limits import check_retries, check_timeout
from ecp_cli.cli.gate_options import RetriesOption, TimeoutOption
from ecp_cli.cli.state import State
from ecp_cli.exit_codes import ExitStatus

PaymentIdArgument = Annotated[
    str, typer.Argument(metavar="PAYMENT_ID", help="The merchant's payment id.")
]
ApiUrlOption = Annotated[
    str | None,
    typer.Option("--api-url", metavar="URL",
                 help="Gate API base URL (default: the profile's api_url)."),
]  # fmt: skip
CallbackOption = Annotated[
    str | None,
    typer.Option("--callback-url", metavar="URL",
                 help="Send this operation's callback here (general.merchant_callback_url)."),
]  # fmt: skip
WaitOption = Annotated[
    bool,
    typer.Option("--wait", help="Ask the status until the operation is final; exit 1 if it "
                 "did not succeed."),
]  # fmt: skip
WaitTimeoutOption = Annotated[
    float,
    typer.Option("--wait-timeout", metavar="S", min=0.0,
                 help="Seconds --wait asks before giving up (exit 3)."),
]  # fmt: skip
JsonOption = Annotated[
    bool,
    typer.Option("--json", help='Print {"response": ..., "http_status": ..., "problems": [...]}'
                 ' (with --wait also "operation_status" and "status_response").'),
]  # fmt: skip



def run_operation(
    ctx: typer.Context,
    action: str,
    payment_id: str,
    *,
    api_url: str | None,
    timeout: float,
    retries: int,
    as_json: bool,
    wait: bool,
    wait_timeout: float,
    callback_url: str | None = None,
    amount: int | None = None,
    currency: str | None = None,
    description: str | None = None,
    refund_id: str | None = None,
) -> None:
    from ecp_cli.http.urls import check_base_url, check_url

    state = get_state(ctx)
    timeout = check_timeout(timeout)
    retries = check_retries(retries)
    if api_url is not None:
        api_url = check_base_url(api_url, "--api-url")
    if callback_url is not None:
        check_url(callback_url, "--callback-url")
    profile = state.profile()

    from ecp_cli.cli.platform_problems import print_problems
    from ecp_cli.errors import NetworkError
    from ecp_cli.http import gate, operations

    result = operations.operation(
        profile, action, payment_id, api_url=api_url, amount=amount, currency=currency,
        description=description, refund_id=refund_id, callback_url=callback_url,
        timeout=timeout, retries=retries,
    )  # fmt: skip
    record: dict = {
        "response": result.response,
        "http_status": result.http_status,
        "problems": [problem.as_dict() for problem in result.problems],
    }
    if result.problems:
        if as_json:
            state.print_json(record)
        else:
            print_problems(state, result.problems)
        result.raise_for_outcome()
    if not as_json:
        state.out(f"{action} accepted: payment {_clean(payment_id)}, "
                  f"request_id {_clean(result.request_id or '-')}")  # fmt: skip
    if not wait:
        if as_json:
            state.print_json(record)
        return
    try:
        status, final = operations.wait_for_operation(
            profile, action, payment_id, result.request_id, api_url=api_url, wait=wait_timeout,
            timeout=timeout, retries=retries,
        )  # fmt: skip
    except gate.PlatformError as error:
        if not as_json:
            print_problems(state, error.problems)
        raise
    record["operation_status"] = final
    record["status_response"] = status.response
    if as_json:
        state.print_json(record)
    payment = status.response.get("payment") if isinstance(status.response, dict) else None
    payment_status = payment.get("status") if isinstance(payment, dict) else None
    if final is None or final not in operations.FINAL:
        raise NetworkError(
            f"the {action} of {payment_id} was not final after {wait_timeout:g} s "
            f"(operation status: {final or 'not shown yet'})"
        )
    if not as_json:
        state.out(f"{action} {final}: payment {_clean(payment_id)} is "
                  f"{_clean(payment_status or '-')}")  # fmt: skip
    if final != "success":
        exit_with(ExitStatus.FAILURE)


def _clean(value: object) -> str:
    from ecp_cli.text_safety import safe_text  # control characters and bidi escaped

    return safe_text(value)


def _state(ctx: typer.Context) -> State:
    return get_state(ctx)


@report_errors
def capture_command(
    ctx: typer.Context,
    payment_id: PaymentIdArgument,
    amount: Annotated[
        int | None,
        typer.Option("--amount", metavar="MINOR", min=1,
                     help="Capture part of the held amount (minor units; default: all)."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", metavar="CODE", help="The payment's currency.")
    ] = None,
    api_url: ApiUrlOption = None,
    callback_url: CallbackOption = None,
    timeout: TimeoutOption = defaults.GATE_TIMEOUT,
    retries: RetriesOption = defaults.GATE_RETRIES,
    wait: WaitOption = False,
    wait_timeout: WaitTimeoutOption = defaults.OPERATION_WAIT,
    as_json: JsonOption = False,
) -> None:
    """Capture the funds an auth payment holds (payment awaiting capture -> success).

    The platform answers at once and reports the capture with a callback;
    --wait asks the status until the capture is final.

    Exit status: 0 the platform accepted the request (with --wait: the
    operation succeeded), 1 it refused (its code explained) or, with --wait,
    the operation did not succeed, 2 bad input or profile, 3 network or HTTP
    failure (with --wait: no final state in time).

    Examples:

      ecp capture order-42

      ecp capture order-42 --wait --json | jq .operation_status
    """
    run_operation(ctx, "capture", payment_id, api_url=api_url, timeout=timeout,
                  retries=retries, as_json=as_json, wait=wait, wait_timeout=wait_timeout,
                  callback_url=callback_url, amount=amount, currency=currency)  # fmt: skip


@report_errors
def cancel_command(
    ctx: typer.Context,
    payment_id: PaymentIdArgument,
    api_url: ApiUrlOption = None,
    callback_url: CallbackOption = None,
    timeout: TimeoutOption = defaults.GATE_TIMEOUT,
    retries: RetriesOption = defaults.GATE_RETRIES,
    wait: WaitOption = False,
    wait_timeout: WaitTimeoutOption = defaults.OPERATION_WAIT,
    as_json: JsonOption = False,
) -> None:
    """Release the funds an auth payment holds (awaiting capture -> cancelled).

    The platform answers at once and reports the cancel with a callback;
    --wait asks the status until the cancel is final.

    Exit status: 0 the platform accepted the request (with --wait: the
    operation succeeded), 1 it refused (its code explained) or, with --wait,
    the operation did not succeed, 2 bad input or profile, 3 network or HTTP
    failure (with --wait: no final state in time).

    Examples:

      ecp cancel order-42

      ecp cancel order-42 --wait
    """
    run_operation(ctx, "cancel", payment_id, api_url=api_url, timeout=timeout,
                  retries=retries, as_json=as_json, wait=wait, wait_timeout=wait_timeout,
                  callback_url=callback_url)  # fmt: skip


@report_errors
def refund_command(
    ctx: typer.Context,
    payment_id: PaymentIdArgument,
    amount: Annotated[
        int | None,
        typer.Option("--amount", metavar="MINOR", min=1,
                     help="Refund this much (minor units; default: all that is left)."),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", metavar="CODE",
                     help="The payment's currency (default: asked from the payment's status)."),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", metavar="TEXT", help="Why the refund.")
    ] = None,
    refund_id: Annotated[
        str | None,
        typer.Option("--refund-id", metavar="ID",
                     help="Your id for this refund (merchant_refund_id): a repeat is refused."),
    ] = None,
    api_url: ApiUrlOption = None,
    callback_url: CallbackOption = None,
    timeout: TimeoutOption = defaults.GATE_TIMEOUT,
    retries: RetriesOption = defaults.GATE_RETRIES,
    wait: WaitOption = False,
    wait_timeout: WaitTimeoutOption = defaults.OPERATION_WAIT,
    as_json: JsonOption = False,
) -> None:
    """Refund a successful payment, all of what is left or --amount of it.

    A partial refund leaves the payment partially refunded; refunding the rest
    makes it refunded. The platform wants the amount and currency: without
    --amount or --currency, ecp asks the payment's status for them first.

    Exit status: 0 the platform accepted the request (with --wait: the
    operation succeeded), 1 it refused (its code explained) or, with --wait,
    the operation did not succeed, 2 bad input or profile, 3 network or HTTP
    failure (with --wait: no final state in time).

    Examples:

      ecp refund order-42

      ecp refund order-42 --amount 500 --refund-id r-1 --wait
    """
    if amount is None or currency is None:
        amount, currency = _balance(ctx, payment_id, amount, currency, api_url, timeout, retries)
    run_operation(ctx, "refund", payment_id, api_url=api_url, timeout=timeout,
                  retries=retries, as_json=as_json, wait=wait, wait_timeout=wait_timeout,
                  callback_url=callback_url, amount=amount, currency=currency,
                  description=description, refund_id=refund_id)  # fmt: skip


def _balance(ctx, payment_id, amount, currency, api_url, timeout, retries):
    """The amount left and the currency, from the payment's verified status."""
    from ecp_cli.errors import InputError
    from ecp_cli.http import gate
    from ecp_cli.http.urls import check_base_url

    state = get_state(ctx)
    profile = state.profile()
    base = check_base_url(api_url, "--api-url") if api_url else None
    result = gate.payment_status(profile, payment_id, api_url=base,
                                 timeout=check_timeout(timeout), retries=check_retries(retries))
    result.raise_for_outcome(profile.label)  # fmt: skip
    payment = result.response.get("payment")
    total = payment.get("sum") if isinstance(payment, dict) else None
    if not isinstance(total, dict):
        raise InputError(f"the status of {payment_id} shows no payment.sum: give --amount "
                         "and --currency")  # fmt: skip
    if amount is None:
        amount = total.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise InputError("the payment's sum has no integer amount: give --amount")
    return amount, currency or total.get("currency")
