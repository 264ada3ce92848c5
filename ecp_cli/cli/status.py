"""``ecp status``: ask the Gate API what happened to a payment.

The HTTP client (ecp_cli.gate, and with it httpx) is imported inside the command, so other
commands start without it.
"""

from collections.abc import Mapping
from typing import Annotated

import typer

from ecp_cli import callback
from ecp_cli.cli.app import app
from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.cli.gate_options import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    PANEL,
    RetriesOption,
    TimeoutOption,
    check_base_url,
    check_retries,
    check_timeout,
)
from ecp_cli.cli.state import State
from ecp_cli.signature import Verdict, Verification

SIGNATURE_CODES = frozenset({"3261", "3262"})  # the platform's "Invalid/Empty signature"


@app.command("status", rich_help_panel=PANEL)
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
            help="Gate API base URL (default: the profile's api_url, https://api.ecommpay.com).",
        ),
    ] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    retries: RetriesOption = DEFAULT_RETRIES,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"response": ..., "signature": verdict, "problems": [...]}.'
        ),
    ] = False,
) -> None:
    """Ask the Gate API for the status of a payment; check the answer's signature.

    Sends a status request for PAYMENT_ID, signed with the profile's secret,
    verifies the signature of the answer and shows what it says. Platform
    errors are shown with their codes explained.

    Exit status: 0 the platform answered with the payment (whatever its
    status), 1 it refused the request or the answer's signature is invalid,
    2 bad input or profile, 3 network or HTTP failure.

    Examples:

      ecp status order-42

      ecp -p live status order-42 --json | jq .response.payment.status

      ecp status order-42 --api-url http://127.0.0.1:8080 --retries 0
    """
    state = get_state(ctx)
    timeout = check_timeout(timeout)
    retries = check_retries(retries)
    if api_url is not None:
        api_url = check_base_url(api_url, "--api-url")
    profile = state.profile()

    from ecp_cli import gate

    result = gate.payment_status(
        profile, payment_id, api_url=api_url, timeout=timeout, retries=retries
    )
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
                state.out(
                    f"  check:       that profile {profile.label!r} holds the secret of "
                    f"project {profile.project_id}"
                )
        if result.verdict is Verdict.INVALID:
            state.note("note: the refusal's own signature does not match the profile's secret")
        raise
    if not as_json:
        show_status_response(state, result.response, result.verification)


def show_status_response(state: State, data: dict, verification: Verification) -> None:
    """How ``ecp status`` shows a verified answer. The one place to switch to the view of
    ``ecp show``.

    LEAD: once ``render_callback`` from ecp_cli/cli/show.py is on main, replace the line
    below with:
        from ecp_cli.cli.show import render_callback
        render_callback(state, data, verification, verbose=True)
    and delete _plain_summary (tests/cli/test_status.py asserts its lines: adjust them).
    """
    _plain_summary(state, data, verification)


def print_problems(state: State, problems: list) -> None:
    """Each platform error with its code explained (stdout: it is the answer)."""
    for problem in problems:
        state.out(f"platform error: {problem.summary()}")
        if problem.description and problem.description != problem.message:
            state.out(f"  description: {problem.description}")
        info = problem.code_info()
        if info is not None:
            if not info.known:
                state.out("  meaning:     not a code the platform documents")
            else:
                state.out(f"  meaning:     {info.meaning}")
                state.out(f"  what to do:  {info.what_to_do}")


# --- the plain summary, until the `ecp show` view is wired in --------------------------


def _latest_operation(data: Mapping) -> Mapping | None:
    operation = data.get("operation")
    if isinstance(operation, Mapping):
        return operation
    operations = data.get("operations")
    if isinstance(operations, list) and operations and isinstance(operations[-1], Mapping):
        return operations[-1]
    return None


def _field(node: Mapping | None, key: str) -> str | None:
    if node is None:
        return None
    value = node.get(key)
    if value is None or isinstance(value, Mapping | list) or value == "":
        return None
    return str(value)


def _plain_summary(state: State, data: dict, verification: Verification) -> None:
    payment = data.get("payment") if isinstance(data.get("payment"), Mapping) else None
    rows: list[tuple[str, str]] = []
    rows.append(("payment", callback.payment_id(data) or "-"))
    kind = _field(payment, "type")
    if kind:
        rows.append(("type", kind))
    rows.append(("status", callback.payment_status(data) or "-"))
    operation = _latest_operation(data)
    if operation is not None:
        words = [w for w in (_field(operation, "type"), _field(operation, "status")) if w]
        rows.append(("operation", " ".join(words) or "-"))
        code = _field(operation, "code")
        if code is not None:
            rows.append(("code", _code_line(code, _field(operation, "message"))))
    from ecp_cli.gate import parse_problems

    for problem in parse_problems(data.get("errors")):
        rows.append(("error", problem.summary()))
    rows.append(("signature", verification.verdict.value))
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        state.out(f"{label:<{width}}  {value}")


def _code_line(code: str, message: str | None) -> str:
    from ecp_cli.reference import response_code

    try:
        info = response_code(code)
    except (TypeError, ValueError):
        return f"{code} {message or ''}".rstrip()
    text = message or info.message
    if info.category == "success":
        return f"{code} {text}"
    return f"{code} {text} ({info.category}): {info.what_to_do}"
