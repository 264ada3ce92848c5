"""What ``ecp verify`` does (cli/verify.py declares its options and help; the work is in
cli/verify_report.py)."""

from ecp_cli.cli.state import State
from ecp_cli.cli.verify_report import run_verify


def run(
    state: State,
    *,
    files: list[str] | None,
    jsonl: str | None,
    as_json: bool,
    quiet: bool,
    workers: int | None,
    explain: bool,
    against: str | None,
) -> object:
    return run_verify(
        state,
        files or [],
        jsonl,
        as_json=as_json,
        quiet=quiet,
        workers=workers,
        explain=explain,
        against=against,
    )
