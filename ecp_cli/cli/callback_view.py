"""How a callback is shown to a person: the layout ``ecp show`` prints, which ``status``,
``listen --verbose`` and ``events show`` print too.

The facts come from :func:`ecp_cli.callbacks.facts.callback_facts`; this module only lays
them out.
"""

from collections.abc import Iterable

from ecp_cli.callbacks.facts import callback_facts
from ecp_cli.callbacks.model import Callback
from ecp_cli.cli.plain_layout import LABEL_WIDTH
from ecp_cli.cli.plain_layout import WIDTH as PLAIN_WIDTH
from ecp_cli.cli.state import State
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.signing.signature import Verdict, Verification

UNCHECKED = "unchecked"

_SHAPES = {
    "standard": "standard callback (payment and operation)",
    "gate": "Gate style (general, payment and operation)",
    "operations_list": "older format with an operations list (the last one is the latest)",
    "recurring_update": "card-on-file (recurring) update, no payment",
    "token": "token callback (card and token, no payment)",
    "unrecognised": "not a shape ecp knows; showing what is there",
}

_VERDICT_STYLES = {
    Verdict.VALID: "bold green",
    Verdict.INVALID: "bold red",
    Verdict.UNSIGNED: "bold yellow",
    None: "yellow",
}

_OUTCOME_STYLES = {
    "success": "bold green",
    "declined": "bold red",
    "failed": "bold red",
    "pending": "bold yellow",
    "expired": "bold",
    "cancelled": "bold",
    "refunded": "bold",
}


def signature_facts(verification: Verification | None) -> dict:
    """The signature verdict as data: valid, invalid, unsigned or unchecked."""
    if verification is None:
        return {"verdict": UNCHECKED, "reason": "no secret configured"}
    return {"verdict": verification.verdict.value}


def verdict_status(verification: Verification | None) -> ExitStatus:
    """1 when a configured secret says the signature is wrong or missing, else 0."""
    if verification is None or verification.ok:
        return ExitStatus.OK
    return ExitStatus.FAILURE


def _verdict_text(verification: Verification | None, checked_with: str | None) -> str:
    if verification is None:
        return "unchecked: no secret configured (set ECP_SECRET or a profile to verify)"
    where = f" (checked with {checked_with})" if checked_with else ""
    if verification.verdict is Verdict.VALID:
        return f"valid{where}"
    if verification.verdict is Verdict.INVALID:
        return f"INVALID: the signature does not match{where}"
    return f"UNSIGNED: the message carries no signature{where}"


def _clean(value: object) -> str:
    """Text from a callback made safe for a terminal: the one rule of text_safety."""
    from ecp_cli.text_safety import safe_text

    return safe_text(value)


class _Layout:
    """Sections of label/value rows, printed as aligned text: with rich on a terminal,
    by cli/plain_layout.py (the same text, without importing rich) into a pipe."""

    def __init__(self, verbose: bool):
        self.verbose = verbose
        self.blocks: list[tuple[str | None, list[tuple[str, list[tuple[str, str]]]]]] = []

    def section(self, title: str | None) -> list:
        rows: list = []
        self.blocks.append((title, rows))
        return rows

    @staticmethod
    def row(rows: list, label: str, *parts: tuple[object, str] | object) -> None:
        """A row whose value is made of parts: plain values or (value, style) pairs.
        Rows whose parts are all empty are left out."""
        pieces = []
        for part in parts:
            value, style = part if isinstance(part, tuple) else (part, "")
            if value is None or value == "":
                continue
            pieces.append((_clean(value), style))
        if pieces:
            rows.append((label, pieces))

    @staticmethod
    def value_text(pieces: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int]]]:
        """A row's value as one line: the parts joined by spaces, a meaning by " - "; and
        where the styled parts are in it (what render styles, plain_layout measures)."""
        text = ""
        styled = []
        for index, (part, style) in enumerate(pieces):
            if index:
                text += " - " if style == "meaning" else " "
            if style:
                styled.append((len(text), len(text) + len(part)))
            text += part
        return text, styled

    def plain_blocks(self) -> list:
        """The blocks with each value as its text, for cli/plain_layout.py."""
        return [
            (title, [(label, *self.value_text(pieces)) for label, pieces in rows])
            for title, rows in self.blocks
        ]

    def render(self, console) -> None:
        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        first = True
        for title, rows in self.blocks:
            if not rows:
                continue
            if title is not None:
                if not first:
                    console.print()
                console.print(Text(title, style="bold underline"))
            first = False
            grid = Table.grid(padding=(0, 2, 0, 0))
            # The top block is not indented: a wider label column keeps values aligned.
            width = LABEL_WIDTH if title is not None else LABEL_WIDTH + 2
            grid.add_column(width=width, no_wrap=True, style="dim")
            grid.add_column(overflow="fold")
            for label, pieces in rows:
                value = Text()
                for index, (text, style) in enumerate(pieces):
                    if index:
                        value.append(" - " if style == "meaning" else " ")
                    value.append(text, style="italic" if style == "meaning" else style)
                grid.add_row(Text(label), value)
            console.print(Padding(grid, (0, 0, 0, 2)) if title is not None else grid)


def _status_parts(info: dict, verbose: bool) -> list:
    status = info.get("status")
    if status is None:
        return []
    final = info.get("final")
    if final is None:
        finality = "not a status the platform documents"
    else:
        finality = "final" if final else "not final"
    parts: list = [(status, "bold"), (f"({finality})", "")]
    if verbose and info.get("status_meaning"):
        parts.append((info["status_meaning"], "meaning"))
    return parts


def _type_parts(value: str | None, meaning: str | None, verbose: bool) -> list:
    if value is None:
        return []
    parts: list = [value]
    if verbose and meaning:
        parts.append((meaning, "meaning"))
    return parts


def _code_rows(rows: list, code: object, message: str | None, info: dict | None, verbose: bool):
    _Layout.row(rows, "code", (code, "bold"), message)
    if info is None:
        return
    if message is None and info["listed"]:
        rows[-1][1].append((_clean(info["message"]), ""))
    if not verbose:
        return
    category = info["category"]
    if not info["listed"]:
        category += " (not in the platform's list; the category comes from the code range)"
    _Layout.row(rows, "category", category, (info["meaning"], "meaning"))
    _Layout.row(rows, "what to do", info["what_to_do"])


def _money(money: dict | None) -> str | None:
    return money["formatted"] if money else None


def _build(facts: dict, signature: str, verdict_style: str, verbose: bool, notes) -> _Layout:
    layout = _Layout(verbose)
    row = _Layout.row
    summary = facts["summary"]
    top = layout.section(None)
    row(top, "signature", (signature, verdict_style))
    for note in notes:
        row(top, "", (note, "yellow"))
    row(top, "in short", (summary["headline"], _OUTCOME_STYLES.get(summary["outcome"], "bold")))
    row(top, "project", facts["project_id"])
    if verbose:
        row(top, "format", _SHAPES.get(facts["shape"], facts["shape"]))

    payment = facts["payment"]
    if payment:
        rows = layout.section("Payment")
        row(rows, "id", (payment["id"], "bold"))
        row(rows, "type", *_type_parts(payment["type"], payment["type_meaning"], verbose))
        row(rows, "status", *_status_parts(payment, verbose))
        requested, real = _money(payment["sum_request"]), _money(payment["sum_real"])
        if payment["sum"]:
            row(rows, "amount", (_money(payment["sum"]), "bold"))
        elif requested and real and requested != real:
            row(rows, "requested", (requested, "bold"))
            row(rows, "processed", (real, "bold"))
        else:
            row(rows, "amount", (real or requested, "bold"))
        row(rows, "method", payment["method"])
        row(rows, "description", payment["description"])
        if verbose:
            row(rows, "date", payment["date"])

    operation = facts["operation"]
    if operation:
        rows = layout.section("Operation")
        row(rows, "id", operation["id"])
        row(rows, "type", *_type_parts(operation["type"], operation["type_meaning"], verbose))
        row(rows, "status", *_status_parts(operation, verbose))
        if operation["code"] is not None or operation["message"] is not None:
            _code_rows(
                rows, operation["code"], operation["message"], operation["code_info"], verbose
            )
        row(rows, "amount", _money(operation["sum_initial"]))
        if operation["converted_differs"]:
            row(rows, "converted", _money(operation["sum_converted"]))
        if verbose:
            row(rows, "request id", operation["request_id"])
            row(rows, "eci", operation["eci"])
            row(rows, "created", operation["created_date"])
            row(rows, "date", operation["date"])
        provider = operation["provider"]
        if verbose and provider:
            rows = layout.section("Provider")
            row(rows, "id", provider["id"])
            row(rows, "payment id", provider["payment_id"])
            row(rows, "auth code", provider["auth_code"])
            row(rows, "endpoint", provider["endpoint_id"])
            row(rows, "date", provider["date"])

    earlier = facts["operations"][:-1]
    if verbose and earlier:
        rows = layout.section("Earlier operations (oldest first)")
        for number, item in enumerate(earlier, start=1):
            row(
                rows,
                f"{number}.",
                item["type"],
                item["status"],
                f"code {item['code']}" if item["code"] is not None else None,
                item["message"],
                _money(item["sum_initial"]),
                item["date"],
            )

    if verbose and facts["acs_present"]:
        rows = layout.section("3-D Secure")
        row(
            rows,
            "acs",
            "present: the customer is sent to their bank's 3-D Secure page; the result "
            "comes in a later callback",
        )

    errors = facts["errors"]
    if errors:
        rows = layout.section("Errors")
        for error in errors:
            code = error["code"]
            label = _clean(code) if code is not None else "-"
            info = error["code_info"]
            message = error["message"] or (info["message"] if info and info["listed"] else None)
            row(rows, label, (message or "(no message)", "bold"))
            if error["field"]:
                row(rows, "", f"field: {error['field']}")
            row(rows, "", error["description"])
            explained_above = operation is not None and str(code) == str(operation["code"])
            if info is not None and verbose and not explained_above:
                row(rows, "", f"{info['category']}:", (info["meaning"], ""))
                row(rows, "", f"what to do: {info['what_to_do']}")

    account = facts["account"]
    if account:
        rows = layout.section("Account")
        row(rows, "number", account["number"])
        row(rows, "brand", account["brand"])
        row(rows, "holder", account["holder"])
        row(rows, "expiry", account["expiry"])
        if account["token_present"]:
            row(rows, "token", "present (not shown)")

    customer = facts["customer"]
    if customer:
        rows = layout.section("Customer")
        for key, value in customer.items():
            row(rows, _clean(key.replace("_", " ")), value)

    recurring = facts["recurring"]
    if recurring:
        rows = layout.section("Recurring (card-on-file agreement)")
        row(rows, "id", (recurring["id"], "bold"))
        row(rows, "status", (recurring["status"], "bold"))
        row(rows, "type", recurring["type"])
        if recurring["period"]:
            every = recurring["period_meaning"]
            interval = recurring["interval"]
            if every and interval and interval != "1":
                every = f"every {interval} {every}s"
            elif every:
                every = f"every {every}"
            row(rows, "period", recurring["period"], f"({every})" if every else None)
        row(rows, "time", recurring["time"])
        row(rows, "start date", recurring["start_date"])
        expiry = "/".join(x for x in (recurring["expiry_month"], recurring["expiry_year"]) if x)
        row(rows, "expiry", expiry)
        row(rows, "amount", _money(recurring["amount"]))
        if not recurring["amount"]:
            row(rows, "currency", recurring["currency"])

    token = facts["token"]
    if token:
        rows = layout.section("Token")
        row(rows, "token", "present (not shown)" if token["present"] else "none in the message")
        row(rows, "status", (token["status"], "bold"))
        row(rows, "created", token["created_at"])
        row(rows, "request", token["request_id"])
        row(rows, "action", token["action"])
        row(rows, "result", token["request_status"])

    if facts["problems"]:
        rows = layout.section("Odd content (shown as far as possible)")
        for problem in facts["problems"]:
            row(rows, "-", (problem, "yellow"))
    return layout


def _layout_of(
    document_data: object,
    verification: Verification | None,
    verbose: bool,
    checked_with: str | None,
    notes: Iterable[str],
    callback: Callback | None = None,
) -> tuple[Callback, _Layout]:
    if callback is None:
        callback = Callback.from_dict(document_data)
    verdict = verification.verdict if verification is not None else None
    layout = _build(
        callback_facts(callback),
        _verdict_text(verification, checked_with),
        _VERDICT_STYLES[verdict],
        verbose,
        list(notes),
    )
    return callback, layout


def render_callback(
    state: State,
    document_data: object,
    verification: Verification | None,
    *,
    verbose: bool = True,
    checked_with: str | None = None,
    notes: Iterable[str] = (),
    callback: Callback | None = None,
) -> Callback:
    """Print what a callback says on ``state.env.stdout``.

    ``verification`` is None when no secret was available (shown as unchecked).
    ``verbose=False`` leaves out the explanations, dates and secondary sections.
    ``checked_with`` names where the secret came from; ``notes`` go under the verdict.
    ``callback`` is the model of ``document_data`` when the caller has read it already.
    Plain text (no colour, fixed width) unless ``state.env.color``. Returns the model.
    """
    callback, layout = _layout_of(
        document_data, verification, verbose, checked_with, notes, callback
    )
    env = state.env
    if env.color:
        layout.render(_rich_console(file=env.stdout, force_terminal=True, _environ=dict(env.vars)))
        return callback
    if env.stdout_isatty:  # as wide as the terminal: rich knows how wide that is
        text = _rich_plain_text(layout, None, env.vars)
    else:
        from ecp_cli.cli import plain_layout

        blocks = layout.plain_blocks()
        if plain_layout.can_render(blocks):
            text = plain_layout.render(blocks)
        else:
            text = _rich_plain_text(layout, PLAIN_WIDTH, env.vars)
    env.stdout.write(_trimmed(text))
    return callback


def _rich_console(**options):
    from rich.console import Console

    return Console(highlight=False, emoji=False, markup=False, legacy_windows=False, **options)


def _rich_plain_text(layout: _Layout, width: int | None, env_vars) -> str:
    """The layout as rich prints it without colour, ``width`` cells wide (None: as wide as
    the terminal ``env_vars`` describe)."""
    import io

    buffer = io.StringIO()
    console = _rich_console(
        file=buffer,
        force_terminal=False,
        color_system=None,
        width=width,
        _environ={} if width else dict(env_vars),
    )
    layout.render(console)
    return buffer.getvalue()


def _trimmed(text: str) -> str:
    # Rich pads rows to the column width; trailing blanks only get in the way of diff/grep.
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
