"""Project profiles: which project_id, secret and base URLs a command works with.

Where things come from, first match wins:

* the file: ``--profiles PATH``, else ``$ECP_PROFILES``, else ``./ecp.yaml``, else
  ``<user config dir>/profiles.yaml`` (``~/.config/ecp/profiles.yaml`` on Linux);
* the profile: ``--profile NAME``, else ``$ECP_PROFILE``, else the file's ``default``, else
  the file's only profile;
* ``$ECP_PROJECT_ID`` and ``$ECP_SECRET`` override the chosen profile, and need no file.

File format::

    default: test
    profiles:
      test:
        project_id: 12345
        secret_env: ECP_TEST_SECRET   # or: secret: "..."
        payment_page_url: https://paymentpage.ecommpay.com   # optional
        api_url: https://api.ecommpay.com                    # optional
        check_url: https://sdk.ecommpay.com                  # optional
        store: ./callbacks.sqlite3   # optional: ecp listen's and ecp events' store,
                                     # relative to this file's folder
"""

import os
import stat

from ecp_cli import defaults
from ecp_cli.environment import Environment
from ecp_cli.errors import ProfileError

TYPE_CHECKING = False  # pathlib costs start-up time (ecp verify, ecp profiles list): this
if TYPE_CHECKING:  # module works with paths as text, written as pathlib writes them
    from pathlib import Path

DEFAULT_URLS = {
    "payment_page_url": defaults.PAYMENT_PAGE_URL,
    "api_url": defaults.API_URL,
    "check_url": defaults.CHECK_URL,
}
PROFILE_KEYS = {"project_id", "secret", "secret_env", "store", *DEFAULT_URLS}
LOCAL_FILE = "ecp.yaml"
DOCUMENTED_EXAMPLE_SECRET = "secret"
USER_FILE = "profiles.yaml"


def mask(secret: str | None) -> str:
    """How a secret is shown anywhere: its length only, never a character of it."""
    if not secret:
        return "(none)"
    return f"****** ({len(secret)} characters)"


class Profile:
    """A project's settings as resolved. The secret never appears in repr() or facts."""

    def __init__(
        self,
        name: str | None,  # None when everything came from environment variables
        project_id: int | None,
        secret: str | None = None,
        *,
        payment_page_url: str = DEFAULT_URLS["payment_page_url"],
        api_url: str = DEFAULT_URLS["api_url"],
        check_url: str = DEFAULT_URLS["check_url"],
        file: "str | Path | None" = None,  # the file as text when it was read from one
    ):
        self.name = name
        self.project_id = project_id
        self.secret = secret
        self.payment_page_url = payment_page_url
        self.api_url = api_url
        self.check_url = check_url
        self.file = file
        self.store: Path | None = None  # the event store named by the profile, if any
        self.sources: dict[str, str] = {}  # field -> where its value came from
        self.warnings: list[str] = []  # for stderr, e.g. file permissions

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, project_id={self.project_id!r}, secret=<masked>)"

    @property
    def signing_secret(self) -> str:
        """The secret of a profile resolved with ``require_secret`` (the default)."""
        if not self.secret:
            raise ProfileError(_missing_secret_message(self, self.file))
        return self.secret

    @property
    def label(self) -> str:
        return self.name or "(environment)"

    def public_facts(self) -> dict:
        """Everything about the profile that may be shown, the secret masked."""
        facts = {
            "name": self.name,
            "file": str(self.file) if self.file else None,
            "project_id": self.project_id,
            "secret": mask(self.secret),
            "payment_page_url": self.payment_page_url,
            "api_url": self.api_url,
            "check_url": self.check_url,
            "sources": dict(self.sources),
        }
        if self.store is not None:  # only when set: the JSON stays as it was without it
            facts["store"] = str(self.store)
        return facts


class ProfileFile:
    """A parsed profile file; each profile is validated when it is used."""

    def __init__(self, path: str, default: str | None, entries: dict[str, dict], warnings):
        self.path = path
        self.default = default
        self.entries = entries  # raw profile mappings
        self.warnings: list[str] = warnings

    def names(self) -> list[str]:
        return list(self.entries)

    def profile(self, name: str, env: Environment) -> Profile:
        if name not in self.entries:
            available = ", ".join(self.entries) or "none"
            raise ProfileError(f"{self.path}: no profile named {name!r} (available: {available})")
        return _build_profile(name, self.entries[name], self.path, env)

    def profiles(self, env: Environment) -> list[Profile | ProfileError]:
        """Every profile, or the error that makes it unusable (for listings and diagnosis)."""
        result: list[Profile | ProfileError] = []
        for name in self.entries:
            try:
                result.append(self.profile(name, env))
            except ProfileError as error:
                result.append(error)
        return result


def _build_profile(name: str, raw: dict, path: str, env: Environment) -> Profile:
    where = f"{path}: profile {name!r}"
    unknown = sorted(set(raw) - PROFILE_KEYS)
    if unknown:
        raise ProfileError(
            f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(PROFILE_KEYS))})"
        )
    profile = Profile(name=name, project_id=None, file=path)
    source = f"file {path}"
    if "project_id" in raw:
        profile.project_id = parse_project_id(raw["project_id"], where)
        profile.sources["project_id"] = source
    if "secret" in raw and "secret_env" in raw:
        raise ProfileError(f"{where}: give either 'secret' or 'secret_env', not both")
    if "secret" in raw:
        if not isinstance(raw["secret"], str) or not raw["secret"]:
            raise ProfileError(f"{where}: 'secret' must be a non-empty string")
        profile.secret = raw["secret"]
        profile.sources["secret"] = source
    elif "secret_env" in raw:
        variable = raw["secret_env"]
        if not isinstance(variable, str) or not variable:
            raise ProfileError(f"{where}: 'secret_env' must name an environment variable")
        profile.secret = _secret_from_env(env, variable, f"{where}: ")
        profile.sources["secret"] = f"env ${variable}"
        if profile.secret is None:
            profile.sources["secret"] = f"env ${variable} (not set)"
    if "store" in raw:
        if not isinstance(raw["store"], str) or not raw["store"].strip():
            raise ProfileError(f"{where}: 'store' must be the path of an event store file")
        from pathlib import Path

        profile.store = Path(path).parent / Path(raw["store"]).expanduser()
        profile.sources["store"] = source
    for key in DEFAULT_URLS:
        if key in raw:
            # The one URL rule (standard library only): urllib.parse, only for a URL the
            # file sets.
            from ecp_cli.http.urls import check_base_url

            setattr(profile, key, check_base_url(raw[key], f"{where}: {key!r}", ProfileError))
            profile.sources[key] = source
        else:
            profile.sources[key] = "default"
    return profile


def _secret_from_env(env: Environment, variable: str, where: str = "") -> str | None:
    """The variable's value; bytes that are not UTF-8 (lone surrogates here) cannot key
    an HMAC. The message names the variable, never the value."""
    secret = env.get(variable)
    if secret is not None and not secret.isascii():
        try:
            secret.encode("utf-8")
        except UnicodeEncodeError:
            raise ProfileError(f"{where}${variable} is not UTF-8 text") from None
    return secret


# ecp's bound for a project_id: a signed 64-bit integer, past any id a project can have.
MAX_PROJECT_ID = 2**63 - 1


def parse_project_id(value: object, where: str) -> int:
    if isinstance(value, bool):
        raise ProfileError(f"{where}: project_id must be an integer, not a boolean")
    if isinstance(value, int) and 0 < value <= MAX_PROJECT_ID:
        return value
    text = value.strip() if isinstance(value, str) else ""
    # isdigit() alone admits other scripts' digits ("١٢٣"), which int() would accept too.
    # The length is checked before int(): no 4,300-digit conversion.
    if text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_PROJECT_ID:
        return int(text)
    if (isinstance(value, int) and value > MAX_PROJECT_ID) or (text.isdigit() and len(text) > 19):
        raise ProfileError(f"{where}: project_id is larger than any project id ({MAX_PROJECT_ID})")
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise ProfileError(f"{where}: project_id must be a positive integer, got {shown}")


def load_profile_file(path: "str | Path") -> ProfileFile:
    """The file at ``path``: text as :func:`profile_file_text` gives it, or a Path."""
    from ecp_cli.documents import read_text
    from ecp_cli.errors import InputError

    path = os.fspath(path)
    try:
        name, text = read_text(path)
    except InputError as error:
        raise ProfileError(error.message) from None
    from ecp_cli.yaml_loading import YamlError, describe_error, load_yaml

    try:
        data = load_yaml(text)
    except YamlError as error:
        raise ProfileError(f"{path}: not valid YAML: {describe_error(error)}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping with a 'profiles' key")
    entries = data.get("profiles")
    if not isinstance(entries, dict) or not entries:
        raise ProfileError(f"{path}: 'profiles' must be a mapping of profile names to settings")
    for profile_name, raw in entries.items():
        if not isinstance(raw, dict):
            raise ProfileError(f"{path}: profile {profile_name!r} must be a mapping")
    entries = {str(k): v for k, v in entries.items()}
    default = data.get("default")
    if default is not None and (not isinstance(default, str) or default not in entries):
        raise ProfileError(f"{path}: default {default!r} is not one of the profiles")
    unknown = sorted(set(data) - {"default", "profiles"})
    if unknown:
        raise ProfileError(f"{path}: unknown top-level key {unknown[0]!r}")
    warnings = []
    # The platform documentation's example secret protects nothing (profiles.example.yaml
    # uses it, and git checks files out world-readable); any other literal secret does.
    real_secrets = [raw["secret"] for raw in entries.values() if "secret" in raw]
    if any(s != DOCUMENTED_EXAMPLE_SECRET for s in real_secrets) and _readable_by_others(path):
        warnings.append(
            f"{path} holds a secret and is readable by other users; run: chmod 600 {path}"
        )
    if _writable_by_others(path):
        # Whoever can write it can point api_url or payment_page_url at their own server.
        warnings.append(
            f"{path} can be changed by other users (anyone could redirect its URLs); "
            f"run: chmod go-w {path}"
        )
    return ProfileFile(path, default, entries, warnings)


def _writable_by_others(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH))


def _readable_by_others(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def find_profile_file(env: Environment, explicit: str | None) -> "Path | None":
    """The profile file to use, or None when there is none anywhere.

    A file named explicitly (flag or $ECP_PROFILES) must exist; the implicit places are
    simply skipped when absent."""
    found = profile_file_text(env, explicit)
    if found is None:
        return None
    from pathlib import Path

    return Path(found)


def profile_file_text(env: Environment, explicit: str | None) -> str | None:
    """:func:`find_profile_file`'s answer as text, without importing pathlib (ecp verify,
    ecp profiles list): the same characters ``str(Path(...))`` gives, for messages."""
    found = explicit or env.get("ECP_PROFILES")
    if not found:
        local = os.path.join(env.cwd_text(), LOCAL_FILE)
        user = os.path.join(env.user_config_dir_text(), USER_FILE)
        found = next((place for place in (local, user) if os.path.isfile(place)), None)
        if found is None:
            return None
    return path_as_pathlib_shows(found)


def path_as_pathlib_shows(text: str) -> str:
    """``str(Path(text))`` for a non-empty ``text``: no empty or ``.`` parts, no trailing
    slash, and a leading ``//`` kept as POSIX allows (tests/test_profiles.py holds this
    equal to pathlib). Elsewhere than POSIX, pathlib itself."""
    if os.sep != "/" or os.altsep is not None:
        from pathlib import Path

        return str(Path(text))
    stripped = text.lstrip("/")
    root = "//" if len(text) - len(stripped) == 2 else "/" if stripped != text else ""
    parts = [part for part in stripped.split("/") if part and part != "."]
    return root + "/".join(parts) if root or parts else "."


def resolve_profile(
    env: Environment,
    profiles_path: str | None = None,
    profile_name: str | None = None,
    *,
    require_secret: bool = True,
) -> Profile:
    """The profile a command runs with, environment overrides applied.

    Raises ProfileError when nothing usable is configured (or, with require_secret, when
    there is no secret)."""
    path = profile_file_text(env, profiles_path)
    name = profile_name or env.get("ECP_PROFILE")
    env_project = env.get("ECP_PROJECT_ID")
    env_secret = env.get("ECP_SECRET")
    if path is None:
        if name:
            raise ProfileError(
                f"profile {name!r} was asked for, but there is no profile file "
                f"(looked for ./{LOCAL_FILE} and {env.user_config_dir() / USER_FILE}; "
                "name one with --profiles or $ECP_PROFILES)"
            )
        profile = Profile(name=None, project_id=None)
        profile.sources = {key: "default" for key in DEFAULT_URLS}
    else:
        profiles = load_profile_file(path)
        if name is None:
            name = profiles.default
        if name is None:
            if len(profiles.entries) > 1:
                raise ProfileError(
                    f"{path}: several profiles and no 'default'; choose one with --profile "
                    f"({', '.join(profiles.entries)})"
                )
            name = next(iter(profiles.entries))
        profile = profiles.profile(name, env)
        profile.warnings.extend(profiles.warnings)
    if env_project:
        profile.project_id = parse_project_id(env_project, "$ECP_PROJECT_ID")
        profile.sources["project_id"] = "env $ECP_PROJECT_ID"
    if env_secret:
        profile.secret = _secret_from_env(env, "ECP_SECRET")
        profile.sources["secret"] = "env $ECP_SECRET"
    if require_secret and not profile.secret:
        raise ProfileError(_missing_secret_message(profile, path))
    return profile


def _missing_secret_message(profile: Profile, path: "str | Path | None") -> str:
    if path is None:
        return (
            "no profile configured: create ./ecp.yaml (see profiles.example.yaml) "
            "or set ECP_PROJECT_ID and ECP_SECRET"
        )
    source = profile.sources.get("secret", "")
    if source.startswith("env $"):
        variable = source.split()[1]
        return (
            f"{path}: profile {profile.label!r} reads its secret from {variable}, which is not set"
        )
    return f"{path}: profile {profile.label!r} has no secret (add 'secret_env: VAR' or 'secret')"


def other_profiles(env: Environment, profiles_path: str | None, active: Profile) -> list[Profile]:
    """The profiles of the profile file that the signature diagnosis tries in turn
    (ecp_cli.signing.diagnosis, check 2): every one with a secret except the active one.
    Errors in the file are not the diagnosis's business: it then tries none."""
    from ecp_cli.errors import EcpError

    try:
        path = profile_file_text(env, profiles_path)
        if path is None:
            return []
        candidates = load_profile_file(path).profiles(env)
    except EcpError:
        return []
    return [
        p
        for p in candidates
        if isinstance(p, Profile)  # not a ProfileError
        and p.secret
        and p.name != active.name
        and p.secret != active.secret
    ]
