"""``ecp check``: would the Payment Page accept these parameters? Asks the platform's
pre-check endpoint and shows each reported problem by field.

``check_and_report`` is the part ``ecp url --check`` reuses with the parameters it built.
The HTTP client (ecp_cli.http.gate, and with it httpx) is imported only when a check runs.
"""

from collections.abc import Mapping
from typing import Annotated

import typer

from ecp_cli.cli.common import exit_with, get_state, report_errors
from ecp_cli.cli.gate_limits import check_retries, check_timeout
from ecp_cli.cli.gate_options import RetriesOption, TimeoutOption
from ecp_cli.cli.pre_check import problem_line, resolve_check_url
from ecp_cli.cli.state import State
from ecp_cli.defaults import CHECK_URL, GATE_RETRIES, GATE_TIMEOUT
from ecp_cli.documents import load_document
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.http.urls import check_base_url


def check_and_report(
    state: State,
    params: Mapping,
    *,
    check_url: str | None = None,
    timeout: float = GATE_TIMEOUT,
    retries: int = GATE_RETRIES,
    as_json: bool = False,
    source: str = "parameters",
) -> ExitStatus:
    """Send the final parameters to the pre-check and print the verdict.

    Returns OK when accepted, FAILURE when problems were reported; raises InputError for
    values that cannot travel in a URL and NetworkError when the check could not be made.
    ``check_url`` None means the profile's (or the platform's) address."""
    from ecp_cli.http import gate

    gate.encode_params(params, f"{source}: ")  # refuse what cannot travel, before any request
    base = check_base_url(check_url, "--check-url") if check_url else resolve_check_url(state, None)
    result = gate.check_params(params, check_url=base, timeout=timeout, retries=retries)
    if as_json:
        state.print_json(
            {
                "accepted": result.accepted,
                "http_status": result.http_status,
                "problems": [problem.as_dict() for problem in result.problems],
            }
        )
    elif result.accepted:
        state.say(f"accepted: the pre-check found no problem in {len(params)} parameters")
    else:
        for problem in result.problems:
            state.say(problem_line(problem))
    if result.accepted:
        return ExitStatus.OK
    count = len(result.problems)
    state.env.stderr.write(
        f"error: the pre-check reported {count} problem{'s' if count != 1 else ''} "
        f"(HTTP {result.http_status})\n"
    )
    return ExitStatus.FAILURE


@report_errors
def check_command(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-", help="Payment Page parameters, a JSON or YAML object; - reads stdin."
        ),
    ],
    check_url: Annotated[
        str | None,
        typer.Option(
            "--check-url",
            metavar="URL",
            help=f"Pre-check base URL (default: the profile's check_url, {CHECK_URL}).",
        ),
    ] = None,
    timeout: TimeoutOption = GATE_TIMEOUT,
    retries: RetriesOption = GATE_RETRIES,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"accepted": ..., "http_status": ..., "problems": [...]}.'
        ),
    ] = False,
) -> None:
    """Ask the platform whether the Payment Page would accept these parameters.

    Sends them, unsigned, to the pre-check (GET {check_url}/params/check)
    as `ecp url` would put them in a link: booleans as 1/0, null and empty
    values left out. Nested data must already be a string (base64 JSON, or
    JSON for recurring, interface_type and payment_methods_options).
    Shows each problem reported, by field.

    Exit status: 0 accepted, 1 problems reported, 2 bad input,
    3 network or HTTP failure.

    Examples:

      ecp check params.json

      ecp url --amount 1000 --currency EUR --json | jq .params | ecp check -

      ecp check params.yaml --check-url http://127.0.0.1:8080 --json
    """
    state = get_state(ctx)
    timeout = check_timeout(timeout)
    retries = check_retries(retries)
    url = resolve_check_url(state, check_url)
    document = load_document(file, state.env.stdin)
    status = check_and_report(
        state,
        document.data,
        check_url=url,
        timeout=timeout,
        retries=retries,
        as_json=as_json,
        source=document.source,
    )
    exit_with(status)
