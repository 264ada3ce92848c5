"""What ``ecp callback`` does (cli/callback.py declares its options and help)."""

from ecp_cli.cli.scenario_callbacks import parse_overrides, prepare_callbacks
from ecp_cli.cli.state import State


def run(
    state: State,
    *,
    source: str | None,
    from_file: str | None,
    payment_id: str | None,
    amount: str | None,
    currency: str | None,
    code: str | None,
    sets: list[str] | None,
    sequence: bool,
    bad_signature: bool,
    keep_signature: bool,
    seed: int | None,
) -> None:
    import json
    import random

    overrides = parse_overrides(payment_id, amount, currency, code, sets)
    prepared = prepare_callbacks(
        state, source, from_file, overrides, sequence=sequence,
        bad_signature=bad_signature, keep_signature=keep_signature, rng=random.Random(seed),
    )  # fmt: skip
    if sequence:
        for item in prepared:
            state.out(json.dumps(item.body, ensure_ascii=False))
    else:
        state.print_json(prepared[0].body)
