"""``ecp listen``: a local callback endpoint that verifies, stores and optionally forwards."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.common import get_state, report_errors
from ecp_cli.cli.server_options import HostOption, MaxBodyOption, PortOption
from ecp_cli.cli.store_option import StoreOpt
from ecp_cli.cli.store_option import store_path as resolve_store


@report_errors
def listen(
    ctx: typer.Context,
    host: HostOption = defaults.LISTEN_HOST,
    port: PortOption = defaults.LISTEN_PORT,
    forward_to: Annotated[
        str | None,
        typer.Option(
            "--forward-to", metavar="URL", help="Pass each callback on to your own endpoint."
        ),
    ] = None,
    reply: Annotated[
        int,
        typer.Option("--reply", metavar="CODE", min=100, max=599, help="HTTP status to answer."),
    ] = defaults.LISTEN_REPLY_STATUS,
    fail_rate: Annotated[
        float,
        typer.Option(
            "--fail-rate",
            metavar="P",
            min=0.0,
            max=1.0,
            help="Answer 500 at random, P of the time.",
        ),
    ] = 0.0,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="Seed for --fail-rate.")
    ] = None,
    store: StoreOpt = None,
    max_body: MaxBodyOption = defaults.LISTEN_MAX_BODY,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show each callback in full.")
    ] = False,
) -> None:
    """Receive callbacks here: verify, store, answer, print one line each.

    Each callback is verified with the profile's secret and stored, then
    answered. Every request is committed to the store before it is answered,
    so nothing that got a 2xx is ever missing. The platform can only call a
    public URL: put a tunnel in front (ngrok, cloudflared...) or send test
    callbacks here with `ecp send`. Ctrl-C stops.

    Exit status: 0 stopped, 2 no secret, a bad flag or an unusable store, 3
    the port cannot be bound.

    Examples:

      ecp listen

      ecp listen --forward-to http://localhost:8000/ecommpay/callback

      ecp listen --port 0 --reply 500          (test your sender's retries)

      ecp listen --fail-rate 0.3 --seed 7 --store ./callbacks.sqlite3
    """
    import signal
    import threading

    from ecp_cli.cli.callback_output import event_line, print_callback_view
    from ecp_cli.http.urls import check_url
    from ecp_cli.listen.server import Listener, Received
    from ecp_cli.listen.store import Store

    state = get_state(ctx)
    profile = state.profile()
    if forward_to is not None:
        check_url(forward_to, "--forward-to")
    store_path = resolve_store(state, store, profile)
    colour = state.env.color
    print_lock = threading.Lock()
    printing = [True]  # False once stdout is gone (`ecp listen | head`): storing goes on

    def on_received(received: Received) -> None:
        with print_lock:
            if not printing[0]:
                return
            try:
                state.out(event_line(received.event, colour=colour))
                if verbose and received.data is not None:
                    print_callback_view(state, received.data, received.verification)
                state.env.stdout.flush()
            except OSError:
                printing[0] = False
                state.warn(
                    "stdout is closed: no more lines are printed; callbacks are still stored"
                )

    def on_problem(message: str) -> None:
        with print_lock:
            state.warn(message)

    events = Store(store_path)
    for warning in events.warnings:
        state.warn(warning)
    try:
        listener = Listener(
            store=events, secret=profile.signing_secret, host=host, port=port, reply_status=reply,
            fail_rate=fail_rate, seed=seed, forward_to=forward_to, max_body=max_body,
            on_received=on_received, on_problem=on_problem,
        ).start(handle_signals=True)  # fmt: skip
    except BaseException:
        events.close()
        raise
    state.note(f"ecp listen: POST callbacks to {listener.url} (any path)")
    state.note(f"  verifying with profile {profile.label} (project {profile.project_id or '-'})")
    state.note(f"  storing in {store_path}")
    if forward_to:
        state.note(f"  forwarding to {listener.forward_shown}; its status is the reply")
    else:
        failing = f", or 500 {fail_rate:.0%} of the time" if fail_rate else ""
        state.note(f"  replying {reply}{failing}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        state.warn(f"listening on {host}: other machines can reach this listener")
    state.note("  Ctrl-C to stop")
    state.env.stderr.flush()
    # Ctrl-C and SIGTERM make serve_forever() return after a clean stop: the handlers
    # were installed by start(), before the address above was announced.
    try:
        listener.serve_forever()
    except KeyboardInterrupt:  # SIGINT before the handlers were in place
        pass
    finally:
        listener.stop()
        stored = events.count()
        events.close()
    if listener.signal_received == signal.SIGINT and state.env.stderr.isatty():
        state.env.stderr.write("\n")  # the terminal echoed ^C: start a new line
    state.note(f"ecp listen: stopped; {stored} requests in {store_path}")
