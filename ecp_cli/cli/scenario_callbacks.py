"""What ``ecp send`` and ``ecp callback`` share beyond their options (cli/scenario_options.py):
the override flags checked, and the signed callbacks a scenario or file makes. Typer-free,
so that ``ecp callback`` runs without Typer."""

from ecp_cli import defaults
from ecp_cli.cli.state import State
from ecp_cli.errors import InputError

SCENARIO_LIST = ", ".join(defaults.SCENARIO_NAMES)


def parse_overrides(
    payment_id: str | None,
    amount: str | None,
    currency: str | None,
    code: str | None,
    sets: list[str] | None,
):
    """Check the override flags and turn them into an Overrides."""
    from ecp_cli.callbacks.overrides import Overrides, parse_assignment

    overrides = Overrides(payment_id=payment_id)
    if amount is not None:
        text = amount.strip()
        if not (text.isascii() and text.isdigit()):
            raise InputError(
                f"--amount {amount}: expected a whole number of minor units (1999 for 19.99)"
            )
        overrides.amount = int(text)
    if currency is not None:
        from ecp_cli.payment_page import currencies

        if not currencies.is_known(currency):
            hint = currencies.suggest(currency)
            raise InputError(
                f"--currency {currency}: not an ISO 4217 currency code"
                + (f"; did you mean {hint}?" if hint else "")
            )
        overrides.currency = currency
    if code is not None:
        from ecp_cli.callbacks.reference import response_code

        try:
            overrides.code = response_code(code).code
        except (TypeError, ValueError):
            raise InputError(f"--code {code}: expected a numeric response code") from None
    overrides.sets = [parse_assignment(item) for item in sets or []]
    return overrides


def prepare_callbacks(
    state: State,
    source: str | None,
    from_file: str | None,
    overrides,
    *,
    sequence: bool,
    bad_signature: bool,
    keep_signature: bool,
    rng,
):
    """The signed callbacks a command works on; warnings go to stderr."""
    from ecp_cli.callbacks.scenarios import prepare

    if source is not None and from_file is not None:
        raise InputError("give a scenario or FILE, or --from FILE, not both")
    name = source if source is not None else from_file
    if name is None:
        raise InputError(f"nothing to send: give a scenario ({SCENARIO_LIST}) or a file")
    profile = state.profile()
    prepared, warnings = prepare(
        name,
        secret=profile.signing_secret,
        project_id=profile.project_id,
        overrides=overrides,
        sequence=sequence,
        bad_signature=bad_signature,
        keep_signature=keep_signature,
        stdin=state.env.stdin,
        rng=rng,
    )
    for warning in warnings:
        state.warn(warning)
    return prepared
