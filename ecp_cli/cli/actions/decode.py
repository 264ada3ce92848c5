"""What ``ecp decode`` does (cli/decode.py declares its options and help)."""

from ecp_cli.cli.state import State
from ecp_cli.exit_codes import ExitStatus


def run(state: State, *, url: str, as_json: bool) -> ExitStatus:
    from ecp_cli.payment_page.decoding import decode_url
    from ecp_cli.profiles import other_profiles

    text = url
    if url == "-":
        from ecp_cli.documents import read_text  # with _json: only for a link on stdin

        text = read_text("-", state.env.stdin)[1]
    profile = state.optional_profile()
    report = decode_url(
        text,
        profile.secret if profile else None,
        other_profiles=other_profiles(state.env, state.profiles_path, profile) if profile else (),
        profile_project_id=profile.project_id if profile else None,
        profile_name=profile.name if profile else None,
    )
    if as_json:
        state.print_json(report.to_dict())
    else:
        _print_report(state, report)
    return ExitStatus.OK if report.ok else ExitStatus.FAILURE


def _print_report(state: State, report) -> None:
    from ecp_cli.payment_page import currencies
    from ecp_cli.payment_page.decoding import TEXT

    split = report.url
    if split.address:
        state.say(split.address)
    params = split.params()
    width = max(len(p.name) for p in split.parameters)
    for parameter in split.parameters:
        value = parameter.value
        if parameter.kind != TEXT:
            state.say(f"  {parameter.name:<{width}}  ({parameter.kind})")
            import json  # only for a value holding JSON

            shown = json.dumps(parameter.decoded, indent=2, ensure_ascii=False)
            for line in shown.splitlines():
                state.say(f"  {'':<{width}}    {line}")
            continue
        note = ""
        if parameter.name == "payment_amount" and value.lstrip("-").isdigit():
            code = params.get("payment_currency", "")
            if currencies.is_known(code):
                note = f"  ({currencies.format_amount(int(value), code)})"
        state.say(f"  {parameter.name:<{width}}  {value}{note}")
    state.say()
    verdict = report.verdict
    if verdict == "unchecked":
        state.say("signature: not checked (no profile with a secret is configured)")
    else:
        label = "valid" if verdict == "valid" else verdict.upper()
        source = f"profile {report.profile!r}" if report.profile else "the secret in $ECP_SECRET"
        state.say(f"signature: {label} (checked with {source})")
    if report.diagnosis is not None:
        from ecp_cli.signing.explanation import explain_lines

        for line in explain_lines(report.diagnosis):
            state.say(f"    {line}")
    problems = [f for f in report.findings if f.severity == "problem"]
    notices = [f for f in report.findings if f.severity != "problem"]
    if problems:
        state.say("problems:")
        for finding in problems:
            state.say(f"  - {finding.message}")
    if notices:
        state.say("notes:")
        for finding in notices:
            state.say(f"  - {finding.message}")
