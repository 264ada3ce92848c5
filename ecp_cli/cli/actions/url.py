"""What ``ecp url`` does (cli/url.py declares its options and help)."""

from ecp_cli.cli.state import State
from ecp_cli.errors import EcpError, InputError
from ecp_cli.exit_codes import ExitStatus

# Dedicated flags and the parameter each one sets. They win over --param and --params.
FLAG_PARAMETERS = {
    "--amount": "payment_amount",
    "--currency": "payment_currency",
    "--payment-id": "payment_id",
    "--customer-id": "customer_id",
    "--description": "payment_description",
    "--language": "language_code",
    "--mode": "mode",
}
# What --param turns into booleans: the spellings JSON and YAML use for true and false.
_PARAM_BOOLEANS = {"true": True, "false": False}


def _param_pairs(items: list[str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key:
            raise InputError(f"--param {item!r}: expected KEY=VALUE, such as customer_email=a@b.c")
        fields[key] = _PARAM_BOOLEANS.get(value, value)
    return fields


def _gather(
    state: State, params_file: str | None, pairs: list[str], flags: dict[str, str | None]
) -> tuple[dict[str, object], dict[str, str]]:
    """Merge the three sources, later ones winning: --params file, --param, dedicated flags.
    Also note where each parameter came from, for error messages."""
    fields: dict[str, object] = {}
    origins: dict[str, str] = {}
    if params_file is not None:
        from ecp_cli.documents import load_document

        document = load_document(params_file, state.env.stdin)
        fields.update(document.data)
        origins.update(dict.fromkeys(document.data, document.source))
    from_pairs = _param_pairs(pairs)
    fields.update(from_pairs)
    origins.update(dict.fromkeys(from_pairs, "--param"))
    for flag, value in flags.items():
        if value is not None:
            fields[FLAG_PARAMETERS[flag]] = value
            origins[FLAG_PARAMETERS[flag]] = flag
    return fields, origins


def _open_in_browser(state: State, url: str) -> None:
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        state.warn("no web browser could be opened; copy the URL above")


def run(
    state: State,
    *,
    amount: str | None,
    currency: str | None,
    payment_id: str | None,
    customer_id: str | None,
    description: str | None,
    language: str | None,
    mode: str | None,
    param: list[str] | None,
    params_file: str | None,
    base_url: str | None,
    open_browser: bool,
    as_json: bool,
    check: bool,
    check_url: str | None,
    timeout: float,
    retries: int,
) -> ExitStatus | None:
    from ecp_cli.payment_page import url as payment_page

    pre_check_url = ""
    if check:  # flag errors first, before any warning about the link
        from ecp_cli.cli.gate_limits import check_retries, check_timeout
        from ecp_cli.cli.pre_check import resolve_check_url

        pre_check_url = resolve_check_url(state, check_url)
        timeout, retries = check_timeout(timeout), check_retries(retries)
    flags = {
        "--amount": amount,
        "--currency": currency,
        "--payment-id": payment_id,
        "--customer-id": customer_id,
        "--description": description,
        "--language": language,
        "--mode": mode,
    }
    fields, origins = _gather(state, params_file, param or [], flags)
    if base_url is not None:
        from ecp_cli.http.urls import check_base_url

        base_url = check_base_url(base_url, "--base-url")
    profile = state.profile()
    if profile.project_id is None:
        where = f"{profile.file}: profile {profile.label!r}" if profile.file else "no profile file"
        raise EcpError(f"{where}: no project_id (add one to the profile or set ECP_PROJECT_ID)")
    request = payment_page.build_params(fields, profile.project_id, origins=origins)
    signed = payment_page.build_url(
        base_url or profile.payment_page_url, request.params, profile.signing_secret
    )
    for warning in request.warnings:
        state.warn(warning)
    if request.generated_payment_id:
        state.note(
            f"payment_id: {request.generated_payment_id} "
            "(generated; choose your own with --payment-id)"
        )
    outcome = None
    if as_json:
        facts = {"url": signed.url, "params": signed.params, "signature": signed.signature}
        if check:
            outcome = _pre_check(state, signed.params, pre_check_url, timeout, retries)
            facts["check"] = outcome
        state.print_json(facts)
    else:
        state.out(signed.url)  # first: the link is printed even if the pre-check cannot run
        if check:
            outcome = _pre_check(state, signed.params, pre_check_url, timeout, retries)
    if open_browser:
        _open_in_browser(state, signed.url)
    if outcome is not None and not outcome["accepted"]:
        return ExitStatus.FAILURE
    return None


def _pre_check(state: State, params: dict, check_url: str, timeout: float, retries: int) -> dict:
    """Ask the pre-check about the link's parameters (unsigned, as the endpoint wants them).

    The verdict goes to stderr: stdout carries only the URL, so URL=$(ecp url --check) works.
    """
    from ecp_cli.cli.pre_check import problem_line
    from ecp_cli.http import gate

    result = gate.check_params(params, check_url=check_url, timeout=timeout, retries=retries)
    if result.accepted:
        state.note("pre-check: accepted")
    for problem in result.problems:
        state.note(f"pre-check: {problem_line(problem)}")
    if not result.accepted:
        count = len(result.problems)
        state.error(f"the pre-check reported {count} problem{'s' if count != 1 else ''}")
    return {
        "accepted": result.accepted,
        "http_status": result.http_status,
        "problems": [problem.as_dict() for problem in result.problems],
    }
