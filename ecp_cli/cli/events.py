"""``ecp events``: what ``ecp listen`` stored: list, show and replay."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.app import app
from ecp_cli.cli.common import State, get_state, report_errors
from ecp_cli.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

events_app = typer.Typer(
    help="""The callbacks `ecp listen` stored: list them, show one, replay one.

Each subcommand takes --store PATH (default: <user data dir>/events.sqlite3).

Examples:

  ecp events list --limit 5

  ecp events show 12 --raw > callback.json

  ecp events replay 12 --to http://localhost:8000/ecommpay/callback
""",
    no_args_is_help=True,
)
app.add_typer(events_app, name="events", rich_help_panel="Callbacks")

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store", metavar="PATH", help="Event store (default: <user data dir>/events.sqlite3)."
    ),
]


def _store_path(state: State, store: str | None) -> Path:
    from pathlib import Path

    from ecp_cli.listen.store import default_store_path

    return Path(store) if store else default_store_path(state.env)


def _open_existing(path: Path):
    """The store, or None when ``ecp listen`` never wrote one there."""
    from ecp_cli.listen.store import Store

    if not path.exists():
        return None
    return Store(path)


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
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", min=1, help="Show the newest N.")
    ] = 20,
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="S", help="Only this payment status (e.g. decline)."),
    ] = None,
    verdict: Annotated[
        str | None,
        typer.Option("--verdict", metavar="V", help="Only valid, invalid, unsigned or rejected."),
    ] = None,
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as JSON.")] = False,
) -> None:
    """List stored requests, newest first.

    One line each: id, time (UTC), verdict, the status answered, what the
    callback says.

    Examples:

      ecp events list

      ecp events list --status decline --limit 5

      ecp events list --verdict invalid --json
    """
    from ecp_cli.cli.callback_output import event_line
    from ecp_cli.listen.store import VERDICTS

    state = get_state(ctx)
    if verdict is not None and verdict not in VERDICTS:
        raise InputError(f"--verdict {verdict}: expected one of {', '.join(VERDICTS)}")
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
    for event in found:
        state.out(event_line(event, colour=colour, with_date=True))


@events_app.command("show")
@report_errors
def show_event(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event's id (#N in lists).")],
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

    Examples:

      ecp events show 12

      ecp events show 12 --raw > tests/fixtures/real_callback.json
    """
    from ecp_cli.cli.callback_output import print_callback_view

    state = get_state(ctx)
    event = _get_event(state, store, event_id)
    if raw:
        if event.body is None:
            raise InputError(f"event #{event_id} has no stored body ({event.error})")
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
    state.out(f"event #{event.id}  received {event.received_at} from {event.client or '-'}")
    size = "no body kept" if event.body is None else f"{len(event.body)} bytes"
    state.out(f"{event.method} {event.path}  {event.content_type or '(no content type)'}  {size}")
    answer = f"verdict {event.verdict}; answered {event.reply_status}"
    if event.forward_status is not None:
        answer += (
            f" (forwarded: {event.forward_status} in {event.forward_time * 1000:.0f} ms: "
            f"{event.forward_body_start})"
        )
    if event.error:
        answer += f"; {event.error}"
    state.out(answer)
    state.out("headers:")
    for name, value in event.headers:
        state.out(f"  {name}: {value}")
    state.out("")
    if event.verdict == "rejected" or event.body is None:
        if event.body is not None:
            state.out(event.body_text() or "")
        return
    import json

    from ecp_cli.signing.signature import verify

    data = json.loads(event.body.decode("utf-8"))
    profile = state.optional_profile()
    verification = verify(data, profile.secret) if profile is not None else None
    print_callback_view(state, data, verification)


@events_app.command("replay")
@report_errors
def replay_event(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event to send again.")],
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
    from ecp_cli.cli.send import DeliveryReport
    from ecp_cli.errors import NetworkError
    from ecp_cli.http.delivery import deliver
    from ecp_cli.http.urls import check_url

    state = get_state(ctx)
    if to is None:
        raise InputError("--to URL is required: where to send the event")
    check_url(to)
    event = _get_event(state, store, event_id)
    if event.body is None:
        raise InputError(f"event #{event_id} has no stored body to replay ({event.error})")
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
