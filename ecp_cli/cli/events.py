"""``ecp events``: what ``ecp listen`` stored: list, follow, show, replay, export, clear."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.common import State, get_state, report_errors
from ecp_cli.cli.store_option import StoreOpt
from ecp_cli.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

events_app = typer.Typer(
    help="""The callbacks `ecp listen` stored: list, follow, show, replay, export, clear.

Each subcommand takes --store PATH (default: $ECP_STORE, the profile's store:, else
<user data dir>/events.sqlite3).

Exit status: 0 done, 1 (replay) the endpoint answered non-2xx, 2 bad input or no such
event, 3 (replay) the endpoint could not be reached, 130 interrupted.

Examples:

  ecp events list --limit 5

  ecp events tail --verdict invalid

  ecp events show 12 --raw > callback.json

  ecp events replay 12 --to http://localhost:8000/ecommpay/callback

  ecp events export --jsonl | ecp verify --jsonl -
""",
    no_args_is_help=True,
)

IdArg = Annotated[
    str, typer.Argument(metavar="ID", help="The event's id: 12 or #12, as lists show it.")
]
LimitOpt = Annotated[
    int, typer.Option("--limit", "-n", metavar="N", min=1, help="Show the newest N.")
]
StatusOpt = Annotated[
    str | None,
    typer.Option("--status", metavar="S", help="Only this payment status (e.g. decline)."),
]
VerdictOpt = Annotated[
    str | None,
    typer.Option("--verdict", metavar="V", help="Only valid, invalid, unsigned or rejected."),
]


def _store_path(state: State, store: str | None) -> Path:
    from ecp_cli.cli.store_option import store_path

    return store_path(state, store)


def parse_event_id(text: str) -> int:
    """``12`` or ``#12`` (how lists show ids) as a number."""
    digits = text.strip().removeprefix("#")
    if not (digits.isascii() and digits.isdigit()):
        raise InputError(f"ID {text}: expected an event id such as 12 or #12")
    return int(digits)


def check_filters(status: str | None, verdict: str | None) -> str | None:
    """Refuse a verdict or payment status that no event can have (a typo would otherwise
    match nothing, silently); the status in the platform's spelling."""
    from ecp_cli.listen.store import VERDICTS

    if verdict is not None and verdict not in VERDICTS:
        raise InputError(f"--verdict {verdict}: expected one of {', '.join(VERDICTS)}")
    if status is None:
        return None
    from ecp_cli.callbacks import reference

    info = reference.payment_status(status)
    if info is not None:
        return info.value
    known = [i.value for i in reference.all_statuses() if i.field == reference.PAYMENT_STATUS]
    import difflib

    close = difflib.get_close_matches(status.strip().lower(), known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputError(
        f"--status {status}: not a payment status{hint} (statuses: {', '.join(known)})"
    )


def _open_existing(path: Path, *, write: bool = False):
    """The store, or None when ``ecp listen`` never wrote one there. Reading needs no
    write access and never turns a file that is not a store into one."""
    from ecp_cli.listen.store import Store

    if not path.exists():
        return None
    return Store(path, read_only=not write)


def _get_event(state: State, store: str | None, event_id: int):
    path = _store_path(state, store)
    events = _open_existing(path)
    if events is None:
        raise InputError(f"{path}: no event store here yet (ecp listen creates it)")
    with events:
        event = events.get(event_id)
    if event is None:
        raise InputError(f"{path}: no event #{event_id}")
    return event


@events_app.command("list")
@report_errors
def list_events(
    ctx: typer.Context,
    limit: LimitOpt = 20,
    status: StatusOpt = None,
    verdict: VerdictOpt = None,
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON.")] = False,
) -> None:
    """List stored requests, newest first.

    One line each: id, time (UTC), verdict, the status answered, what the
    callback says. --status takes a payment status the platform lists
    (decline, success, ...); another is refused, as it would match nothing.

    Exit status: 0 listed (also when there is nothing to list), 2 bad input.

    Examples:

      ecp events list

      ecp events list --status decline --limit 5

      ecp events list --verdict invalid --json
    """
    from ecp_cli.cli.callback_output import event_line

    state = get_state(ctx)
    status = check_filters(status, verdict)
    path = _store_path(state, store)
    events = _open_existing(path)
    if events is None:
        found = []
    else:
        with events:
            found = events.list(limit=limit, status=status, verdict=verdict)
    if as_json:
        state.print_json([event.public() for event in found])
        return
    if not found:
        state.note(f"no events in {path}" + (" matching the filter" if status or verdict else ""))
        return
    colour = state.env.color
    width = max(len(str(event.id)) for event in found)
    for event in found:
        state.out(event_line(event, colour=colour, with_date=True, id_width=width))


@events_app.command("show")
@report_errors
def show_event(
    ctx: typer.Context,
    event_id: IdArg,
    raw: Annotated[
        bool, typer.Option("--raw", help="Print only the body, byte for byte, as received.")
    ] = False,
    store: StoreOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the event and its body as JSON.")
    ] = False,
) -> None:
    """Show one stored request: how it came, the answer it got, the callback.

    The request (time, client, path, headers), its verdict and the answer it got, then
    the callback as `ecp show` shows it; --raw prints the body alone.

    Exit status: 0 shown, 2 no such event or no store.

    Examples:

      ecp events show 12

      ecp events show '#12' --raw > tests/fixtures/real_callback.json
    """
    from ecp_cli.cli.callback_output import print_callback_view

    state = get_state(ctx)
    number = parse_event_id(event_id)
    event = _get_event(state, store, number)
    if raw:
        if event.body is None:
            raise InputError(f"event #{number} has no stored body ({event.error})")
        stream = state.env.stdout
        target = getattr(stream, "buffer", None)
        if target is not None:
            stream.flush()
            target.write(event.body)
            target.flush()
        else:
            stream.write(event.body.decode("utf-8", errors="replace"))
        return
    if as_json:
        state.print_json({**event.public(), "body": event.body_text()})
        return
    state.say(f"event #{event.id}  received {event.received_at} from {event.client or '-'}")
    size = "no body kept" if event.body is None else f"{len(event.body)} bytes"
    state.say(f"{event.method} {event.path}  {event.content_type or '(no content type)'}  {size}")
    answer = f"verdict {event.verdict}; answered {event.reply_status}"
    if event.forward_status is not None:
        answer += (
            f" (forwarded: {event.forward_status} in {event.forward_time * 1000:.0f} ms: "
            f"{event.forward_body_start})"
        )
    if event.error:
        answer += f"; {event.error}"
    state.say(answer)
    state.say("headers:")
    for name, value in event.headers:
        state.say(f"  {name}: {value}")
    state.say("")
    if event.verdict == "rejected" or event.body is None:
        if event.body is not None:
            state.say_lines(event.body_text() or "")
        return
    import json

    from ecp_cli.signing.signature import verify

    data = json.loads(event.body.decode("utf-8"))
    profile = state.optional_profile()
    verification = verify(data, profile.signing_secret) if profile is not None else None
    print_callback_view(state, data, verification)


@events_app.command("replay")
@report_errors
def replay_event(
    ctx: typer.Context,
    event_id: IdArg,
    to: Annotated[
        str | None, typer.Option("--to", metavar="URL", help="Where to send it (required).")
    ] = None,
    retry: Annotated[
        bool, typer.Option("--retry", help="Redeliver like the platform until a 200.")
    ] = False,
    retry_scale: Annotated[
        float, typer.Option("--retry-scale", metavar="F", min=0.0, help="Multiply the waits.")
    ] = 1.0,
    max_attempts: Annotated[
        int, typer.Option("--max-attempts", metavar="N", min=1, help="Give up after N attempts.")
    ] = defaults.DELIVERY_MAX_ATTEMPTS,
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the replies as JSON.")] = False,
) -> None:
    """Send a stored callback again, byte for byte (not re-signed).

    Exit status as for `ecp send`: 0 a 2xx answer, 1 another answer, 3
    unreachable.

    Examples:

      ecp events replay 12 --to http://localhost:8000/ecommpay/callback

      ecp events replay 12 --to http://127.0.0.1:8000/ --retry --retry-scale 0
    """
    from ecp_cli.cli.callback_output import DeliveryReport
    from ecp_cli.errors import NetworkError
    from ecp_cli.http.delivery import deliver
    from ecp_cli.http.urls import check_url

    state = get_state(ctx)
    if to is None:
        raise InputError("--to URL is required: where to send the event")
    check_url(to)
    number = parse_event_id(event_id)
    event = _get_event(state, store, number)
    if event.body is None:
        raise InputError(f"event #{number} has no stored body to replay ({event.error})")
    report = DeliveryReport(state, to, as_json=as_json, retrying=retry)
    report.begin(1, 1, event.summary)
    try:
        deliver(
            to, event.body, content_type=event.content_type or "application/json", retry=retry,
            retry_scale=retry_scale, max_attempts=max_attempts, on_reply=report.reply,
        )  # fmt: skip
    except NetworkError as error:
        report.failed(error)
    report.finish()


@events_app.command("tail")
@report_errors
def tail_events(
    ctx: typer.Context,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", metavar="N", min=0, help="Show the newest N first."),
    ] = 10,
    status: StatusOpt = None,
    verdict: VerdictOpt = None,
    interval: Annotated[
        float,
        typer.Option(
            "--interval",
            metavar="SECONDS",
            min=0.05,
            max=60.0,
            help="Look for new events this often.",
        ),
    ] = 0.5,
    for_seconds: Annotated[
        float | None,
        typer.Option("--for", metavar="SECONDS", min=0.0, help="Stop after this long."),
    ] = None,
    store: StoreOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per event and line (JSON Lines).")
    ] = False,
) -> None:
    """Follow the store: print events as ecp listen stores them, until Ctrl-C.

    The newest N first (like tail -f), then each new one as it arrives, with
    the filters of `ecp events list`. Works while `ecp listen` runs in
    another terminal, and waits for the store if there is none yet.

    Exit status: 0 stopped (Ctrl-C or --for), 2 bad input.

    Examples:

      ecp events tail

      ecp events tail --verdict invalid -n 0

      ecp events tail --json --for 60 | jq -c '{id, payment_status}'
    """
    import json
    import time

    from ecp_cli.cli.callback_output import event_line

    state = get_state(ctx)
    status = check_filters(status, verdict)
    path = _store_path(state, store)
    colour = state.env.color
    deadline = None if for_seconds is None else time.monotonic() + for_seconds
    events = None

    def show(found) -> None:
        for event in found:
            if as_json:
                state.out(json.dumps(event.public(), ensure_ascii=False))
            else:
                state.out(event_line(event, colour=colour, with_date=True))
        state.env.stdout.flush()

    try:
        last_id = None
        while True:
            if events is None and path.exists():
                events = _open_existing(path)
            if events is not None:
                if last_id is None:  # first look: the newest N, oldest of them first
                    last_id = events.last_id()
                    if limit:
                        show(reversed(events.list(limit=limit, status=status, verdict=verdict)))
                else:
                    found = events.list(10_000, status, verdict, after_id=last_id)
                    show(found)
                    # Only ids seen advance the mark: asking for the newest id apart from
                    # the query could skip an event stored in between.
                    last_id = max([last_id, *(event.id or 0 for event in found)])
            elif last_id is None:
                last_id = 0
                state.note(f"waiting for {path} (ecp listen creates it)")
            if deadline is not None and time.monotonic() >= deadline:
                break
            wait = interval if deadline is None else min(interval, deadline - time.monotonic())
            time.sleep(max(wait, 0))
    except KeyboardInterrupt:
        if state.env.stderr.isatty():
            state.env.stderr.write("\n")  # after the terminal's ^C
    finally:
        if events is not None:
            events.close()


@events_app.command("export")
@report_errors
def export_events(
    ctx: typer.Context,
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="One callback body per line (the default)."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The events themselves, bodies included, as JSON.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", metavar="N", min=1, help="Only the newest N.")
    ] = None,
    status: StatusOpt = None,
    verdict: VerdictOpt = None,
    store: StoreOpt = None,
) -> None:
    """Print stored callbacks, oldest first, for `ecp verify --jsonl` and `ecp send`.

    --jsonl (the default) prints each stored callback body on one line, as
    received (line breaks between its tokens left out, so the signature still
    matches); requests that were rejected or kept no body are skipped. --json
    prints a JSON array of the events with their bodies as text.

    Exit status: 0 exported (also when there is nothing to export), 2 bad
    input.

    Examples:

      ecp events export --jsonl > callbacks.jsonl

      ecp events export --verdict invalid | ecp verify --jsonl - --explain

      ecp events export -n 1 --status success | ecp send - --keep-signature
    """
    state = get_state(ctx)
    if jsonl and as_json:
        raise InputError("--jsonl and --json: choose one")
    status = check_filters(status, verdict)
    path = _store_path(state, store)
    events = _open_existing(path)
    found = []
    if events is not None:
        from ecp_cli.listen.store import _SQLITE_MAX_INT

        with events:
            found = events.list(limit or _SQLITE_MAX_INT, status, verdict)[::-1]
    if as_json:
        state.print_json([{**event.public(), "body": event.body_text()} for event in found])
        return
    kept = [e for e in found if e.body is not None and e.verdict != "rejected"]
    stream = state.env.stdout
    target = getattr(stream, "buffer", None)
    for event in kept:
        # A JSON body has line breaks only between tokens: dropping them keeps every value,
        # so the callback stays byte-for-byte signable on one line.
        line = event.body.replace(b"\r", b"").replace(b"\n", b"") + b"\n"
        if target is not None:
            stream.flush()
            target.write(line)
        else:
            stream.write(line.decode("utf-8", errors="replace"))
    if target is not None:
        target.flush()
    if not kept:
        state.note(f"no callbacks to export in {path}")


@events_app.command("clear")
@report_errors
def clear_events(
    ctx: typer.Context,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Only events received before DATE (UTC: 2026-11-28, 2026-11-28T18:00) "
            "or older than an age (30m, 12h, 7d).",
        ),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Delete stored events: all of them, or those received before DATE.

    Ids keep counting after a clear: a new event never takes an old id.

    Exit status: 0 cleared (also when there was nothing to clear), 2 bad
    input.

    Examples:

      ecp events clear

      ecp events clear --before 7d

      ecp events clear --before 2026-11-28 --store ./callbacks.sqlite3
    """
    from ecp_cli.listen.store import parse_before

    state = get_state(ctx)
    cutoff = parse_before(before) if before is not None else None
    path = _store_path(state, store)
    events = _open_existing(path, write=True)
    if events is None:
        state.note(f"no event store at {path}: nothing to clear")
        return
    with events:
        deleted = events.delete(cutoff)
        left = events.count()
    state.note(f"deleted {deleted} events from {path}; {left} left")
