"""Output shared by the callback-loop commands (listen, send, callback, events): one-line
reports of stored events and deliveries, the report of a run of deliveries, and the full
view of a callback."""

from __future__ import annotations

TYPE_CHECKING = False  # the names below are for annotations only: nothing to import at start
if TYPE_CHECKING:
    from ecp_cli.cli.state import State
    from ecp_cli.errors import EcpError
    from ecp_cli.http.delivery import Reply
    from ecp_cli.listen.store import CallbackSummary, Event
    from ecp_cli.signing.signature import Verification

_VERDICT_COLOURS = {"valid": "32", "invalid": "31;1", "unsigned": "33;1", "rejected": "31"}


def print_callback_view(state: State, data: dict, verification: Verification | None) -> None:
    """The full ``ecp show`` view of a callback (listen --verbose, events show); with no
    secret configured, ``verification`` is None and the view says the callback is
    unchecked."""
    from ecp_cli.cli.callback_view import render_callback

    render_callback(state, data, verification, verbose=True)


def summary_text(summary: CallbackSummary) -> str:
    """``payment P: status (operation type status, code C)``, leaving out what is missing."""
    head = f"payment {summary.payment_id}" if summary.payment_id else "no payment id"
    if summary.payment_status:
        head += f": {summary.payment_status}"
    details = " ".join(p for p in (summary.operation_type, summary.operation_status) if p)
    if summary.code is not None:
        details = f"{details}, code {summary.code}" if details else f"code {summary.code}"
    from ecp_cli.text_safety import safe_text

    return safe_text(f"{head} ({details})" if details else head)


def _verdict(verdict: str, colour: bool) -> str:
    label = f"{verdict:<8}"
    if colour and verdict in _VERDICT_COLOURS:
        return f"\x1b[{_VERDICT_COLOURS[verdict]}m{label}\x1b[0m"
    return label


def event_line(
    event: Event, *, colour: bool = False, with_date: bool = False, id_width: int = 0
) -> str:
    """One stored request on one line: id, time (UTC), verdict, the reply given, and what
    the callback says (or why it was rejected). ``id_width`` pads ids to line up columns.
    Whatever the sender wrote is shown escaped (ecp_cli.text_safety)."""
    from ecp_cli.text_safety import safe_text

    stamp = event.received_at[:19].replace("T", " ") if with_date else event.received_at[11:19]
    number = f"#{event.id}"
    verdict = _verdict(event.verdict, colour)
    line = f"{number:<{id_width + 1}} {stamp} {verdict} -> {event.reply_status}"
    if event.verdict == "rejected":
        return f"{line}  {safe_text(f'{event.method} {event.path}: {event.error}')}"
    line += f"  {summary_text(event.summary)}"
    if event.forward_status is not None:
        line += f"  [forwarded: {event.forward_status} in {_ms(event.forward_time)}]"
    elif event.error:
        line += f"  [{safe_text(event.error)}]"
    return line


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.0f} ms"


def _status_text(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def reply_line(reply: Reply, next_wait: float | None, *, retrying: bool) -> str:
    """One attempt's outcome: ``-> 200 OK in 4 ms  {"stored": 3}``."""
    prefix = f"try {reply.attempt} " if retrying else ""
    if reply.status is None:
        text = f"{prefix}-> no answer: {reply.error}"
    else:
        text = f"{prefix}-> {_status_text(reply.status)} in {_ms(reply.elapsed)}"
        if reply.body_start:
            text += f"  {reply.body_start}"
    if next_wait is not None:
        text += f"; next try in {_seconds(next_wait)}"
    return text


def _seconds(value: float) -> str:
    if value >= 3600:
        return f"{value / 3600:g} h"
    if value >= 60:
        return f"{value / 60:g} min"
    if value >= 1:
        return f"{value:g} s"
    return f"{value * 1000:.0f} ms"


class DeliveryReport:
    """Prints deliveries as they happen (or collects them for --json) and decides the exit
    status. Shared with ``ecp events replay``."""

    def __init__(self, state: State, url: str, *, as_json: bool, retrying: bool):
        self.state, self.url, self.as_json, self.retrying = state, url, as_json, retrying
        self.records: list[dict] = []
        self.network_error: EcpError | None = None

    def begin(self, index: int, total: int, summary) -> None:
        self.records.append(
            {
                "delivery": index,
                "payment_id": summary.payment_id,
                "payment_status": summary.payment_status,
                "operation_type": summary.operation_type,
                "operation_status": summary.operation_status,
                "code": summary.code,
                "attempts": [],
            }
        )
        if not self.as_json:
            self._out(f"[{index}/{total}] {summary_text(summary)}")

    def reply(self, reply, next_wait: float | None) -> None:
        self.records[-1]["attempts"].append(reply.public())
        if not self.as_json:
            self._out("      " + reply_line(reply, next_wait, retrying=self.retrying))

    def failed(self, error: EcpError) -> None:
        from ecp_cli.http.delivery import Reply

        self.network_error = error
        attempt = Reply(None, 0.0, error=error.message).public()
        attempt["elapsed_ms"] = None  # nothing was measured: there was no answer
        self.records[-1]["attempts"].append(attempt)

    def _out(self, text: str) -> None:
        self.state.out(text)
        self.state.env.stdout.flush()  # replies show as they come, even through a pipe

    def finish(self) -> None:
        finals = [record["attempts"][-1] for record in self.records if record["attempts"]]
        statuses = [attempt.get("status") for attempt in finals]
        all_ok = bool(statuses) and all(s is not None and 200 <= s < 300 for s in statuses)
        for record, final in zip(self.records, finals, strict=False):
            record["ok"] = final.get("status") is not None and 200 <= final["status"] < 300
        if self.as_json:
            self.state.print_json(
                {
                    "url": self.url,
                    "ok": all_ok and not self.network_error,
                    "deliveries": self.records,
                }
            )
        not_200 = sorted({s for s in statuses if s is not None and 200 < s < 300})
        if not_200:
            self.state.warn(
                f"the endpoint answered {', '.join(map(str, not_200))}: the platform treats "
                "anything but 200 as a failure and delivers the callback again"
            )
        if self.network_error is not None:
            raise self.network_error
        if any(s is None for s in statuses):  # retries ended without any answer
            from ecp_cli.errors import NetworkError

            raise NetworkError(finals[-1].get("error") or f"{self.url}: no answer")
        from ecp_cli.cli.common import exit_with
        from ecp_cli.exit_codes import ExitStatus

        exit_with(ExitStatus.OK if all_ok else ExitStatus.FAILURE)
