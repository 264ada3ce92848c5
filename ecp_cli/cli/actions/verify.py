"""What ``ecp verify`` does (cli/verify.py declares its options and help): verify many
inputs and report each.

Both the Typer command and the launcher's fast path call :func:`run`, so the two cannot
drift apart. Large ``--jsonl`` inputs are verified
in batches of whole lines (line_batches.py: never the whole input in memory), by this
process or by worker processes forked once (one per core, see forking.py: they inherit the
secret, it is never sent anywhere); results come back, and are written, in input order.
"""

import os
from collections.abc import Iterable, Iterator

from ecp_cli.callbacks import ids as callback_ids
from ecp_cli.cli.state import State
from ecp_cli.documents import Document, load_document, parse_json_line
from ecp_cli.errors import EcpError, InputError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.signing.canonical import CanonicalError
from ecp_cli.signing.signature import Verdict, verdict_of, verify

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:  # imported only when a document needs a diagnosis
    from ecp_cli.line_batches import LineBatches
    from ecp_cli.signing.diagnosis import Diagnosis

_LABELS = {Verdict.VALID: "valid   ", Verdict.INVALID: "INVALID ", Verdict.UNSIGNED: "UNSIGNED"}
_COLOURS = {Verdict.VALID: "32", Verdict.INVALID: "31;1", Verdict.UNSIGNED: "33;1"}
# Below this many lines, starting workers costs more than it saves.
PARALLEL_MIN_LINES = 2000
# From this many lines on, orjson reads them: below, importing it costs more than it saves.
FAST_JSON_MIN_LINES = 2000
# --json holds its records in memory up to this size, then in a temporary file.
JSON_IN_MEMORY_BYTES = 8 << 20


# One verified document: (source, Verdict, payment id, status, diagnosis or None). A tuple,
# not a dict: workers send thousands of them back, and tuples pickle fastest.
Result = tuple[str, Verdict, str | None, str | None, "Diagnosis | None"]


def result_of(document: Document, secret: str, diagnoser=None) -> Result:
    """``diagnoser`` (data -> Diagnosis), when given, explains documents that are not valid."""
    data = document.data
    try:
        verdict = verify(data, secret).verdict
    except CanonicalError as error:  # YAML can hold values JSON cannot, e.g. !!binary
        raise InputError(f"{document.source}: cannot be signed: {error}") from None
    found = diagnoser(data) if diagnoser is not None and verdict is not Verdict.VALID else None
    return (
        document.source,
        verdict,
        callback_ids.payment_id(data),
        callback_ids.payment_status(data),
        found,
    )


def record_of(result: Result) -> dict:
    """A result as ``--json`` prints it; what is not valid carries its "diagnosis"."""
    source, verdict, payment_id, status, found = result
    record: dict[str, object] = {
        "file": source,
        "verdict": verdict.value,
        "payment_id": payment_id,
        "status": status,
    }
    if found is not None:
        record["diagnosis"] = found.to_dict()
    return record


def line_of(result: Result, colour: bool, width: int = 0) -> str:
    """``VERDICT  SOURCE  payment ID  STATUS``; ``width`` pads the source so that the
    columns of several files line up."""
    source, verdict, payment_id, status, _ = result
    label = _LABELS[verdict]
    if colour:
        label = f"\x1b[{_COLOURS[verdict]}m{label}\x1b[0m"
    rest = f"payment {payment_id or '-'}  {status or '-'}"
    # Printable text is what text_safety leaves as it is (its own first check): then it
    # is not even loaded.
    if source.isprintable() and rest.isprintable():
        return f"{label} {source:<{width}}  {rest}"
    from ecp_cli.text_safety import safe_text

    return f"{label} {safe_text(source):<{width}}  {safe_text(rest)}"


class _Shown:
    """What a run shows of each result, fixed by run's options before any worker is
    forked; workers use it to render their batches, so that this process only writes."""

    def __init__(self, quiet: bool, as_json: bool, explain: bool, colour: bool, width: int,
                 aligned: frozenset[str]):  # fmt: skip
        self.errors = not quiet  # error messages on stderr
        self.records = as_json and not quiet  # --json records
        self.lines = not quiet and not as_json  # verdict lines on stdout
        self.explain = explain
        self.colour = colour
        self.width = width
        self.aligned = aligned  # sources whose column is padded to ``width``

    def render(self, items: "Iterable[Result | EcpError]") -> "Rendered":
        """(pieces, records, any not valid, any unusable) for ``items`` in order: pieces
        are stdout text, or an EcpError for stderr; records are --json records' text."""
        pieces: list = []
        records: list[str] = []
        text: list[str] = []  # stdout text not yet in pieces
        failed = unusable = False
        for item in items:
            if isinstance(item, EcpError):
                unusable = True
                if self.errors:
                    if text:
                        pieces.append("".join(text))
                        text = []
                    pieces.append(item)
                if self.records:
                    record = {"file": _source_of(item), "verdict": "error", "error": item.message}
                    records.append(_record_text(record))
                continue
            if item[1] is not Verdict.VALID:
                failed = True
            if self.records:
                records.append(_record_text(record_of(item)))
            elif self.lines:
                width = self.width if item[0] in self.aligned else 0
                text.append(line_of(item, self.colour, width) + "\n")
                if self.explain and item[4] is not None:
                    text.append(_explanation(item[4]))
        if text:
            pieces.append("".join(text))
        return pieces, records, failed, unusable


# _Shown.render's answer: a tuple, which workers pickle back cheaply.
Rendered = tuple[list, list[str], bool, bool]


def _check_batch(
    batches: "LineBatches", bound: tuple[int, int, int], secret: str, diagnoser, read
) -> list:
    """Results (or InputErrors) for one batch of lines; blank lines give nothing. ``read``,
    from documents.json_bytes_reader, reads the lines it can (None: parse_json_line all)."""
    name = batches.name
    key = secret.encode("utf-8")
    id_and_status = callback_ids.id_and_status
    results: list = []
    append = results.append
    offset, end, first = bound
    lines: list | None = batches.byte_lines(offset, end) if read is not None else None
    if lines is None:
        lines, read = batches.lines(offset, end), _no_reading
    for number, line in enumerate(lines, start=first):
        data = read(line)
        if data is None:  # as parse_json_line says, and words it
            item = parse_json_line(name, number, line if type(line) is str else line.decode())
            if item is None:
                continue
            if isinstance(item, InputError):
                append(item)
                continue
            source, data = item.source, item.data
        else:
            source = f"{name}:{number}"
        try:
            verdict = verdict_of(data, key)
        except CanonicalError as error:  # as result_of words it (JSON cannot get here)
            append(InputError(f"{source}: cannot be signed: {error}"))
            continue
        found = diagnoser(data) if diagnoser is not None and verdict is not Verdict.VALID else None
        append((source, verdict, *id_and_status(data), found))
    return results


def _no_reading(line: object) -> None:
    return None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _jsonl_rendered(
    batches: "LineBatches", secret: str, workers: int, diagnoser, shown: _Shown
) -> "Iterator[tuple[Rendered, bool]]":
    """(each batch rendered, whether it held a callback or an unusable line), in order;
    or, if the input turns out not to be UTF-8 throughout (or cannot be read), its error
    alone: nothing is shown before the whole input is checked."""
    failed: list[EcpError] = []

    def scan_next() -> bool:
        try:
            return batches.scan_next()
        except EcpError as error:
            failed.append(error)
            return False

    # Checked far enough to choose: to fork workers or not, to use orjson or not.
    while batches.line_count < max(PARALLEL_MIN_LINES, FAST_JSON_MIN_LINES) and scan_next():
        pass
    read = None
    if batches.line_count >= FAST_JSON_MIN_LINES and not failed:  # before forking
        from ecp_cli.documents import json_bytes_reader

        read = json_bytes_reader()

    def work(bound: tuple[int, int, int]) -> tuple[Rendered, bool]:
        # In forked workers too, which inherit the input, the secret and ``shown``.
        results = _check_batch(batches, bound, secret, diagnoser, read)
        return shown.render(results), bool(results)

    if workers < 2 or batches.line_count < PARALLEL_MIN_LINES or not hasattr(os, "fork"):
        while scan_next():
            pass
        if failed:
            yield shown.render(failed), True
            return
        yield from map(work, batches.bounds)
        return
    from ecp_cli.forking import ordered_map

    def tasks() -> "Iterator[tuple[int, int, int]]":
        index = 0
        while index < len(batches.bounds) or scan_next():
            yield batches.bounds[index]
            index += 1

    # The workers start at once; this process checks the rest of the input meanwhile
    # (ordered_map's idle), and holds their answers until it has checked all of it.
    held: list[tuple[Rendered, bool]] = []
    for answer in ordered_map(work, tasks(), workers, idle=scan_next):
        if failed:
            break
        held.append(answer)
        if batches.scanned:
            yield from held
            held.clear()
    if failed:
        yield shown.render(failed), True
        return
    yield from held


def _rendered(state: State, files: list[str], jsonl, secret: str, workers: int, diagnoser,
              shown: _Shown) -> "Iterator[Rendered]":  # fmt: skip
    for name in files:
        try:
            yield shown.render([result_of(load_document(name, state.env.stdin), secret, diagnoser)])
        except EcpError as error:
            yield shown.render([error])
    if jsonl is not None:
        from ecp_cli.line_batches import open_batches

        try:
            batches, closing = open_batches(jsonl, state.env.stdin, scan=False)
        except EcpError as error:
            yield shown.render([error])
            return
        try:
            empty = True
            for rendered, held in _jsonl_rendered(batches, secret, workers, diagnoser, shown):
                empty = empty and not held
                yield rendered
            if empty:
                # In CI an empty log usually means the step before failed: "all valid"
                # would hide it.
                message = f"{batches.name}: holds no callbacks (empty, or blank lines only)"
                yield shown.render([InputError(message)])
        finally:
            if closing is not None:
                closing.close()


def _record_text(record: dict) -> str:
    """A record as it stands in the --json array (indented one level)."""
    import json

    return json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  ")


class _JsonRecords:
    """The --json array, printed whole at the end (nothing half-written), exactly as
    ``json.dumps(records, indent=2)`` would; held in a temporary file once it is large,
    so that memory stays flat whatever the input's size."""

    def __init__(self) -> None:
        import tempfile

        self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in write_to
            max_size=JSON_IN_MEMORY_BYTES, mode="w+", encoding="utf-8"
        )
        self._count = 0

    def add(self, record: dict) -> None:
        self.add_texts([_record_text(record)])

    def add_texts(self, texts: list[str]) -> None:
        """Records already made text by :func:`_record_text`."""
        if texts:
            self._spool.write((",\n  " if self._count else "[\n  ") + ",\n  ".join(texts))
            self._count += len(texts)

    def write_to(self, out) -> None:
        if not self._count:
            out.write("[]\n")
            return
        self._spool.write("\n]\n")
        self._spool.seek(0)
        while chunk := self._spool.read(1 << 16):
            out.write(chunk)
        self._spool.close()


def _lazy_diagnoser(state: State, profile, against: dict | None):
    """data -> Diagnosis, importing the diagnosis code and reading the other profiles only
    when a document first needs it (most runs have nothing to diagnose)."""
    made = None

    def diagnose_one(data):
        nonlocal made
        if made is None:
            from ecp_cli.profiles import other_profiles
            from ecp_cli.signing.diagnosis import Diagnoser

            others = other_profiles(state.env, state.profiles_path, profile)
            made = Diagnoser(profile, others, against)
        return made(data)

    return diagnose_one


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
) -> ExitStatus:
    """Verify every input; 2 if any input was unusable, else 1 if any is not valid, else 0.

    With ``as_json`` every record that is not valid carries a "diagnosis"; with ``explain``
    the text output shows it under the verdict line. ``against`` is a known-good copy the
    diagnosis compares each invalid document with."""
    files = files or []
    if not files and jsonl is None and state.env.stdin_is_redirected:
        files = ["-"]  # `ecp verify < cb.json`, `cat cb.json | ecp verify`
    if not files and jsonl is None:
        raise InputError("nothing to verify: give FILE..., - for stdin, or --jsonl FILE")
    if files.count("-") + (jsonl == "-") + (against == "-") > 1:
        raise InputError("stdin (-) can be read only once")
    if workers is not None and workers < 1:
        raise InputError(f"--workers must be 1 or more, got {workers}")
    profile = state.profile()
    secret = profile.signing_secret
    good = load_document(against, state.env.stdin).data if against is not None else None
    wanted = (as_json or explain) and not quiet
    diagnoser = _lazy_diagnoser(state, profile, good) if wanted else None
    write = state.env.stdout.write
    records = _JsonRecords() if as_json and not quiet else None
    unusable = failed = False
    # The files named are known up front: their names' column can be lined up.
    width = max((len("<stdin>" if name == "-" else name) for name in files), default=0)
    aligned = frozenset([*files, "<stdin>"])
    shown = _Shown(quiet, as_json, explain, state.env.color, width, aligned)
    chosen = workers or default_workers()
    for pieces, texts, some_failed, some_unusable in _rendered(
        state, files, jsonl, secret, chosen, diagnoser, shown
    ):
        failed = failed or some_failed
        unusable = unusable or some_unusable
        for piece in pieces:
            if type(piece) is str:
                write(piece)
            else:
                state.error(piece.message)
        if records is not None:
            records.add_texts(texts)
    if records is not None:
        records.write_to(state.env.stdout)
    if unusable:
        return ExitStatus.INPUT_ERROR
    return ExitStatus.FAILURE if failed else ExitStatus.OK


def _explanation(found) -> str:
    from ecp_cli.signing.explanation import explain_lines
    from ecp_cli.text_safety import safe_text

    return "".join(f"    {safe_text(line)}\n" for line in explain_lines(found))


def _source_of(error: EcpError) -> str:
    # Messages start with the source name ("FILE: problem"); keep it for the JSON record.
    return error.message.split(": ", 1)[0]
