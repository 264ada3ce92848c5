"""``ecp verify``: check callback signatures, with exit codes for scripts and CI."""

from collections.abc import Iterable
from typing import Annotated

import typer

from ecp_cli import callback
from ecp_cli.cli.app import app
from ecp_cli.cli.common import State, exit_with, get_state, report_errors
from ecp_cli.documents import Document, iter_json_lines, load_document
from ecp_cli.errors import EcpError, InputError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.signature import Verdict, verify

_LABELS = {Verdict.VALID: "valid", Verdict.INVALID: "INVALID", Verdict.UNSIGNED: "UNSIGNED"}
_COLOURS = {Verdict.VALID: "32", Verdict.INVALID: "31;1", Verdict.UNSIGNED: "33;1"}


def _documents(state: State, files: list[str], jsonl: str | None) -> Iterable[Document | EcpError]:
    for name in files:
        try:
            yield load_document(name, state.env.stdin)
        except EcpError as error:
            yield error
    if jsonl is not None:
        try:
            yield from iter_json_lines(jsonl, state.env.stdin)
        except EcpError as error:
            yield error


def result_record(document: Document, secret: str) -> dict:
    """The facts about one verified document, as printed by --json."""
    check = verify(document.data, secret)
    return {
        "file": document.source,
        "verdict": check.verdict.value,
        "payment_id": callback.payment_id(document.data),
        "status": callback.payment_status(document.data),
    }


@app.command("verify")
@report_errors
def verify_command(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="FILE...|-", help="Callback bodies (JSON or YAML); - reads stdin."),
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", metavar="FILE|-", help="Also verify one JSON callback per line."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of results.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing; the exit status tells.")
    ] = False,
) -> None:
    """Verify callback signatures with the profile's secret.

    One line per callback: valid, INVALID or UNSIGNED, the file, payment id and status.
    Exit status: 0 all valid, 1 any invalid or unsigned, 2 any input unreadable.

    Examples:

      ecp verify callback.json

      ecp verify --quiet fixtures/*.json && echo all signed right

      ecp verify --jsonl callbacks.log --json > report.json
    """
    state = get_state(ctx)
    files = files or []
    if not files and jsonl is None:
        raise InputError("nothing to verify: give FILE..., - for stdin, or --jsonl FILE")
    if files.count("-") + (jsonl == "-") > 1:
        raise InputError("stdin (-) can be read only once")
    secret = state.profile().secret
    colour = state.env.color
    records: list[dict] = []
    status = ExitStatus.OK
    for item in _documents(state, files, jsonl):
        if isinstance(item, EcpError):
            status = ExitStatus.INPUT_ERROR
            if not quiet:
                state.env.stderr.write(f"error: {item.message}\n")
            records.append({"file": _source_of(item), "verdict": "error", "error": item.message})
            continue
        record = result_record(item, secret)
        verdict = Verdict(record["verdict"])
        if verdict is not Verdict.VALID and status is ExitStatus.OK:
            status = ExitStatus.FAILURE
        if as_json:
            records.append(record)
        elif not quiet:
            state.out(_line(record, verdict, colour))
    if as_json and not quiet:
        state.print_json(records)
    exit_with(status)


def _line(record: dict, verdict: Verdict, colour: bool) -> str:
    label = f"{_LABELS[verdict]:<8}"
    if colour:
        label = f"\x1b[{_COLOURS[verdict]}m{label}\x1b[0m"
    payment = record["payment_id"] or "-"
    status = record["status"] or "-"
    return f"{label} {record['file']}  payment {payment}  {status}"


def _source_of(error: EcpError) -> str:
    # Messages start with the source name ("FILE: problem"); keep it for the JSON record.
    return error.message.split(": ", 1)[0]
