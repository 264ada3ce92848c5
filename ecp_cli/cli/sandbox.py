"""``ecp sandbox``: the ecommpay platform on this machine (Payment Page, Gate API,
pre-check), and ``ecp sandbox pay`` / ``ecp sandbox payments`` to use it from CI.

A thin layer over ecp_cli.sandbox; uvicorn and httpx are imported when a command runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli import defaults
from ecp_cli.cli.common import exit_with, get_state, report_errors
from ecp_cli.cli.server_options import HostOption, MaxBodyOption, PortOption
from ecp_cli.cli.state import State
from ecp_cli.exit_codes import ExitStatus

sandbox_app = typer.Typer(
    name="sandbox",
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", metavar="PATH",
        help="Payment store (default: <user data dir>/sandbox.sqlite3).",
    ),
]  # fmt: skip


def sandbox_projects(state: State) -> dict:
    """The projects to serve: the chosen profile when one is named (--profile, $ECP_PROFILE,
    $ECP_PROJECT_ID/$ECP_SECRET), else every profile of the file with a project_id and a
    secret."""
    from ecp_cli.errors import ProfileError
    from ecp_cli.profiles import Profile, find_profile_file, load_profile_file
    from ecp_cli.sandbox.checks import Project

    env = state.env
    chosen = state.profile_name or any(
        env.get(name) for name in ("ECP_PROFILE", "ECP_PROJECT_ID", "ECP_SECRET")
    )
    path = find_profile_file(env, state.profiles_path)
    profiles: list[Profile] = []
    if chosen or path is None:
        profiles = [state.profile()]
    else:
        for entry in load_profile_file(path).profiles(env):
            if isinstance(entry, Profile) and entry.project_id is not None and entry.secret:
                profiles.append(entry)
            elif isinstance(entry, ProfileError):
                state.warn(f"{entry.message}; not served")
    projects: dict[int, Project] = {}
    for profile in profiles:
        if profile.project_id is None:
            where = f"{profile.file}: " if profile.file else ""
            raise ProfileError(f"{where}profile {profile.label!r} has no project_id")
        if profile.project_id in projects:
            state.warn(
                f"project {profile.project_id} is in several profiles; "
                f"serving the one of profile {projects[profile.project_id].name!r}"
            )
            continue  # fmt: skip
        projects[profile.project_id] = Project(
            profile.project_id, profile.secret or "", profile.name
        )
    if not projects:
        raise ProfileError(f"{path}: no profile with a project_id and a secret to serve")
    return projects


@sandbox_app.callback()
@report_errors
def sandbox(
    ctx: typer.Context,
    host: HostOption = defaults.SANDBOX_HOST,
    port: PortOption = defaults.SANDBOX_PORT,
    callback_url: Annotated[
        str | None,
        typer.Option(
            "--callback-url",
            metavar="URL",
            help="Where callbacks go when a link has no merchant_callback_url.",
        ),
    ] = None,
    retry_scale: Annotated[
        float,
        typer.Option(
            "--retry-scale",
            metavar="F",
            min=0.0,
            help="Multiply the platform's redelivery waits (0.001: 10 s -> 10 ms).",
        ),
    ] = 1.0,
    no_retry: Annotated[
        bool, typer.Option("--no-retry", help="Deliver each callback once, never again.")
    ] = False,
    store: StoreOption = None,
    max_body: MaxBodyOption = defaults.SANDBOX_MAX_BODY,
) -> None:
    """Run the ecommpay platform on this machine, for tests that need no network.

    One port answers for the Payment Page (/payment), the Gate API
    (/v2/payment/status, /v2/payment/card/capture, cancel, refund) and the
    parameter pre-check (/params/check). Every project of the profile file is
    served (or only the one named with --profile), each with its own secret.
    The card number picks the outcome (see the home page or docs/sandbox.md);
    every change of a payment sends the signed callback the platform would,
    with the platform's retries. Payments are kept in --store. Ctrl-C stops.

    Examples:

      ecp sandbox

      ecp sandbox --callback-url http://127.0.0.1:8765/ --retry-scale 0.001

      ecp -p test sandbox --store ./sandbox.sqlite3
    """
    if ctx.invoked_subcommand is not None:
        return
    from pathlib import Path

    from ecp_cli.http.serving import AsgiServer
    from ecp_cli.http.urls import check_url
    from ecp_cli.sandbox.app import SandboxApp
    from ecp_cli.sandbox.engine import Sandbox
    from ecp_cli.sandbox.state import PaymentStore, default_store_path

    state = get_state(ctx)
    if callback_url is not None:
        check_url(callback_url, "--callback-url")
    projects = sandbox_projects(state)
    store_path = Path(store) if store else default_store_path(state.env)

    def log(line: str) -> None:
        try:
            state.note(line)
            state.env.stderr.flush()
        except OSError:
            pass

    payments = PaymentStore(store_path)
    engine = Sandbox(projects, payments, callback_url=callback_url, retry=not no_retry,
                     retry_scale=retry_scale, on_log=log)  # fmt: skip
    try:
        server = AsgiServer(SandboxApp(engine, max_body=max_body), host=host, port=port,
                            on_problem=log).start()  # fmt: skip
    except BaseException:
        engine.close()
        payments.close()
        raise
    url = server.url.rstrip("/")
    state.out(url)
    state.env.stdout.flush()
    state.note(f"ecp sandbox: the platform at {url}; point a profile at it:")
    for key in ("payment_page_url", "api_url", "check_url"):
        state.note(f"    {key}: {url}")
    names = ", ".join(f"{p.project_id} ({p.name or 'environment'})" for p in projects.values())
    state.note(f"  projects: {names}")
    state.note(f"  payments in {store_path}")
    fallback = f", else {callback_url}" if callback_url else ""
    state.note(f"  callbacks to each link's merchant_callback_url{fallback}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        state.warn(f"listening on {host}: other machines can reach this sandbox")
    state.note("  Ctrl-C to stop")
    state.env.stderr.flush()
    try:
        server.serve_forever()  # until Ctrl-C or SIGTERM (the server handles both)
    finally:
        engine.close()
        count = payments.count()
        payments.close()
    state.note(f"ecp sandbox: stopped; {count} payments in {store_path}")


@sandbox_app.command("pay")
@report_errors
def pay_command(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(metavar="URL", help="The Payment Page link to pay.")],
    card: Annotated[
        str, typer.Option("--card", metavar="NUMBER", help="Card number (a test card).")
    ] = defaults.SANDBOX_PAY_CARD,
    code_3ds: Annotated[
        str | None,
        typer.Option(
            "--3ds-code",
            metavar="CODE",
            help="Code for the 3-D Secure page (default: the one it accepts, 1234).",
        ),
    ] = None,
    expiry: Annotated[
        str | None,
        typer.Option("--expiry", metavar="MM/YYYY", help="Expiry date (default: 12, in 3 years)."),
    ] = None,
    cvv: Annotated[str, typer.Option("--cvv", metavar="DIGITS", help="CVV.")] = "123",
    holder: Annotated[
        str | None, typer.Option("--holder", metavar="NAME", help="Cardholder name.")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="S", min=0.001, help="Seconds per request.")
    ] = defaults.GATE_TIMEOUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Pay a link on the sandbox without a browser: for CI.

    Opens URL, fills the checkout with --card, answers the 3-D Secure page if
    one comes, and reports how the payment ended. The shop's callback is sent
    by the sandbox, as for a customer in a browser.

    Exit status: 0 paid (success, or authorised awaiting capture), 1 declined,
    refused by the Payment Page or the card form, 2 bad input, 3 network failure.

    Examples:

      URL=$(ecp url --amount 99 --currency EUR --base-url http://localhost:8766)

      ecp sandbox pay "$URL" --card 4000000000000077

      ecp sandbox pay "$LINK" --card 4314220000000056 --3ds-code 0000 --json
    """
    from ecp_cli.errors import InputError
    from ecp_cli.sandbox.headless import pay

    state = get_state(ctx)
    month, year = "12", None
    if expiry is not None:
        month, sep, year = expiry.partition("/")
        if not sep or not month or not year:
            raise InputError(f"--expiry {expiry!r}: expected MM/YYYY, such as 12/2030")
    result = pay(url, card, expiry_month=month, expiry_year=year, cvv=cvv, holder=holder,
                 code_3ds=code_3ds, timeout=timeout)  # fmt: skip
    if as_json:
        state.print_json(result.public())
    else:
        from ecp_cli.text_safety import safe_text as printable

        if result.outcome in ("refused", "invalid"):
            what = (
                "the Payment Page refused the link"
                if result.outcome == "refused"
                else ("the card form refused the card")
            )
            state.out(what)
            for problem in result.problems:
                state.out(f"  {printable(problem)}")
        else:
            state.out(
                f"{result.outcome}: payment {printable(result.payment_id or '(token)')} "
                f"is {printable(result.status)}"
                + (f", code {printable(result.code)}" if result.code else "")
            )
            if result.redirect:
                state.out(f"  redirect: {printable(result.redirect)}")
    exit_with(ExitStatus.OK if result.approved else ExitStatus.FAILURE)


@sandbox_app.command("payments")
@report_errors
def payments_command(
    ctx: typer.Context,
    store: StoreOption = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="At most N.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the sandbox's payments, newest first (cards masked).

    Reads the store a sandbox keeps (--store, as given to `ecp sandbox`); the
    sandbox may be running.

    Examples:

      ecp sandbox payments

      ecp sandbox payments --json | jq '.[0].status'
    """
    from pathlib import Path

    from ecp_cli.errors import InputError
    from ecp_cli.sandbox.pages import amount_text
    from ecp_cli.sandbox.state import PaymentStore, default_store_path
    from ecp_cli.text_safety import safe_text as printable

    state = get_state(ctx)
    path = Path(store) if store else default_store_path(state.env)
    if not path.is_file():
        raise InputError(f"{path}: no sandbox store here (start `ecp sandbox` first, or --store)")
    with PaymentStore(path) as payments:
        found = payments.payments(limit)
        deliveries = {p.session: payments.deliveries(p.session) for p in found}
    if as_json:
        records = []
        for payment in found:
            record = payment.public()
            record["callbacks"] = [d.public() for d in deliveries[payment.session]]
            records.append(record)
        state.print_json(records)
        return
    if not found:
        state.note(f"no payments in {path}")
        return
    for payment in found:
        amount = amount_text(payment.amount, payment.currency) if payment.currency else "-"
        card = (payment.card or {}).get("number", "-")
        sent = deliveries[payment.session]
        delivered = sum(1 for d in sent if d.outcome == "delivered")
        state.out(printable(
            f"{payment.updated}  {payment.project_id}  {payment.payment_id or '(token)'}  "
            f"{payment.status}  {amount}  {card}  callbacks {delivered}/{len(sent)} delivered"
        ))  # fmt: skip
