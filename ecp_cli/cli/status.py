"""``ecp status``: ask the Gate API what happened to a payment.

The HTTP client (ecp_cli.http.gate, and with it httpx) is imported inside the command, so other
commands start without it.
"""

from typing import Annotated

import typer

from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.cli.gate_limits import check_retries, check_timeout
from ecp_cli.cli.gate_options import RetriesOption, TimeoutOption
from ecp_cli.cli.platform_problems import print_problems
from ecp_cli.cli.state import State
from ecp_cli.defaults import (
    API_URL,
    GATE_RETRIES,
    GATE_TIMEOUT,
    WATCH_INTERVAL,
    WATCH_MAX_INTERVAL,
    WATCH_MAX_TIME,
    WATCH_MIN_INTERVAL,
    WATCH_TIME,
)
from ecp_cli.http.urls import check_base_url
from ecp_cli.signing.signature import Verdict, Verification

SIGNATURE_CODES = frozenset({"3261", "3262"})  # the platform's "Invalid/Empty signature"


@report_errors
def status_command(
    ctx: typer.Context,
    payment_id: Annotated[
        str, typer.Argument(metavar="PAYMENT_ID", help="The merchant's payment id.")
    ],
    api_url: Annotated[
        str | None,
        typer.Option(
            "--api-url",
            metavar="URL",
            help=f"Gate API base URL (default: the profile's api_url, {API_URL}).",
        ),
    ] = None,
    timeout: TimeoutOption = GATE_TIMEOUT,
    retries: RetriesOption = GATE_RETRIES,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"response": ..., "signature": verdict, "problems": [...]}.'
        ),
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Ask again until the payment's status is final.")
    ] = False,
    interval: Annotated[
        float,
        typer.Option(
            "--interval",
            metavar="SECONDS",
            min=WATCH_MIN_INTERVAL,
            max=WATCH_MAX_INTERVAL,
            help="With --watch: ask this often.",
        ),
    ] = WATCH_INTERVAL,
    watch_for: Annotated[
        float,
        typer.Option(
            "--for",
            metavar="SECONDS",
            min=0.0,
            max=WATCH_MAX_TIME,
            help="With --watch: give up after this long.",
        ),
    ] = WATCH_TIME,
) -> None:
    """Ask the Gate API for the status of a payment; check the answer's signature.

    Sends a status request for PAYMENT_ID, signed with the profile's secret,
    verifies the signature of the answer and shows what it says. Platform
    errors are shown with their codes explained.

    With --watch, asks again every --interval seconds (a line on stderr for
    each new status) until the payment's status is final, then shows that
    answer; it gives up after --for seconds.

    Exit status: 0 the platform answered with the payment (whatever its
    status; with --watch, a final one), 1 it refused the request, the
    answer's signature is invalid, or --watch ran out of time, 2 bad input or
    profile, 3 network or HTTP failure. With --json, a failure prints
    {"ok": false, "error": ..., "exit_status": N}.

    Examples:

      ecp status order-42

      ecp -p live status order-42 --json | jq .response.payment.status

      ecp status order-42 --watch --interval 2 --for 120

      ecp status order-42 --api-url http://127.0.0.1:8080 --retries 0
    """
    state = get_state(ctx)
    timeout = check_timeout(timeout)
    retries = check_retries(retries)
    if api_url is not None:
        api_url = check_base_url(api_url, "--api-url")
    profile = state.profile()

    from ecp_cli.http import gate

    def ask():
        return gate.payment_status(
            profile, payment_id, api_url=api_url, timeout=timeout, retries=retries
        )

    result = ask() if not watch else _watch(state, payment_id, ask, interval, watch_for)
    if as_json:
        state.print_json(
            {
                "response": result.response,
                "signature": result.verdict.value,
                "http_status": result.http_status,
                "problems": [problem.as_dict() for problem in result.problems],
            }
        )
    try:
        result.raise_for_outcome(profile.label)
    except gate.PlatformError as error:
        if not as_json:
            print_problems(state, error.problems)
            if any(problem.code in SIGNATURE_CODES for problem in error.problems):
                state.say(
                    f"  check:       that profile {profile.label!r} holds the secret of "
                    f"project {profile.project_id}"
                )
        if result.verdict is Verdict.INVALID:
            state.note("note: the refusal's own signature does not match the profile's secret")
        raise
    if not as_json:
        show_status_response(state, result.response, result.verification, profile)


def _watch(state: State, payment_id: str, ask, interval: float, limit: float):
    """Ask until the payment's status is final (or the platform refuses, or the answer does
    not verify); each new status is a line on stderr. The last answer is returned."""
    import time

    from ecp_cli.callbacks.reference import payment_status
    from ecp_cli.errors import EcpError
    from ecp_cli.exit_codes import ExitStatus

    deadline = time.monotonic() + limit
    seen = None
    while True:
        result = ask()
        payment = result.response.get("payment")
        status = payment.get("status") if isinstance(payment, dict) else None
        if result.refused or result.verdict is not Verdict.VALID or not isinstance(status, str):
            return result  # nothing to wait for: shown and judged as without --watch
        info = payment_status(status)
        if status != seen:
            seen = status
            stamp = time.strftime("%H:%M:%S")
            final = "final" if info is None or info.final else "not final"
            state.note(f"{stamp}  payment {payment_id}: {status} ({final})")
        if info is None or info.final:  # a status the platform does not list: stop here
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            raise EcpError(
                f"payment {payment_id} is still {status!r} after {limit:g} s (--for)",
                ExitStatus.FAILURE,
            )
        time.sleep(min(interval, left))


def show_status_response(state: State, data: dict, verification: Verification, profile) -> None:
    """A verified answer, shown with the view of ``ecp show`` (it is shaped like a callback)."""
    from ecp_cli.cli.callback_view import render_callback

    if profile.sources.get("secret") == "env $ECP_SECRET":
        checked_with = "the secret in ECP_SECRET"
    else:
        checked_with = f"the secret of profile {profile.label}"
    render_callback(state, data, verification, verbose=True, checked_with=checked_with)
