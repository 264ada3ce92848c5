"""The ``--store PATH`` option of ``ecp listen`` and ``ecp events``, and where the store is
when it is not given: ``$ECP_STORE``, the profile's ``store:`` key, the user data dir."""

from __future__ import annotations

from typing import Annotated

import typer

from ecp_cli.cli.state import State

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="PATH",
        help="Event store (default: $ECP_STORE, the profile's store:, "
        "<user data dir>/events.sqlite3).",
    ),
]


def store_path(state: State, store: str | None, profile=None) -> Path:
    """The store to use. ``profile`` is the one the command already resolved; without it,
    the profile file is read only if there is one (events commands need no profile)."""
    from ecp_cli.listen.store import resolve_store_path
    from ecp_cli.profiles import find_profile_file, resolve_profile

    if (
        store is None
        and profile is None
        and not state.env.get("ECP_STORE")
        and find_profile_file(state.env, state.profiles_path) is not None
    ):
        # Warnings about the file (its permissions) are for the commands that sign.
        profile = resolve_profile(
            state.env, state.profiles_path, state.profile_name, require_secret=False
        )
    return resolve_store_path(state.env, store, profile.store if profile is not None else None)
