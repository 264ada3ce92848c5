"""Adding a profile to a profile file: created readable by the owner only, replaced in one
step (a crash leaves the old file or the new one, never half of one), an existing profile
kept unless the caller forces it."""

from __future__ import annotations

import os
from pathlib import Path

from ecp_cli.errors import ProfileError
from ecp_cli.profiles import LOCAL_FILE, USER_FILE, parse_project_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ecp_cli.environment import Environment


def target_file(env: Environment, explicit: str | None, here: bool) -> Path:
    """Where a new profile goes: ``--profiles PATH``, else ``./ecp.yaml`` with ``here``,
    else ``$ECP_PROFILES``, else the user config dir's profiles.yaml."""
    if explicit:
        return Path(explicit)
    if here:
        return env.cwd / LOCAL_FILE
    from_env = env.get("ECP_PROFILES")
    if from_env:
        return Path(from_env)
    return env.user_config_dir() / USER_FILE


def profile_entry(
    project_id: object, *, secret: str | None = None, secret_env: str | None = None
) -> dict:
    """A profile's mapping, checked as the loader checks it."""
    entry: dict = {"project_id": parse_project_id(project_id, "project id")}
    if secret is not None:
        if not secret:
            raise ProfileError("the secret is empty")
        entry["secret"] = secret
    elif secret_env is not None:
        if not secret_env.replace("_", "").isalnum() or not secret_env.isascii():
            raise ProfileError(f"--secret-env {secret_env}: not an environment variable name")
        entry["secret_env"] = secret_env
    return entry


def add_profile(
    path: Path, name: str, entry: dict, *, force: bool = False, make_default: bool = False
) -> bool:
    """Write profile ``name`` into the file at ``path`` (created if missing, 0600) and
    return whether the file is new. A profile of that name is replaced only with
    ``force``. Other profiles are kept (the file is rewritten: comments do not survive)."""
    import yaml

    from ecp_cli.profiles import load_profile_file
    from ecp_cli.yaml_loading import load_yaml

    if not name or not name.strip() or any(c.isspace() or not c.isprintable() for c in name):
        raise ProfileError(f"{name!r}: a profile name is one word of printable characters")
    data: dict = {"default": name, "profiles": {}}
    new = not path.exists()
    if not new:
        load_profile_file(path)  # a broken file is reported, not overwritten
        from ecp_cli.documents import read_text

        loaded = load_yaml(read_text(str(path))[1])
        assert isinstance(loaded, dict)  # load_profile_file checked its shape
        data = loaded
        if name in data["profiles"] and not force:
            raise ProfileError(f"{path}: a profile named {name!r} exists; --force replaces it")
        if make_default:
            data["default"] = name
        elif data.get("default") is None:
            # The file's only profile was its default; with two it must be said which.
            data["default"] = next(iter(data["profiles"]))
    data["profiles"][name] = entry
    ordered = {"default": data["default"], "profiles": data["profiles"]}
    text = yaml.safe_dump(ordered, sort_keys=False, default_flow_style=False, allow_unicode=True)
    write_private(path, "# ecp profile file (see `ecp profiles -h`)\n" + text)
    return new


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only, atomically: a temporary file
    next to it, flushed to disk, then renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ProfileError(f"{path}: cannot write the profile file ({error.strerror})") from None
