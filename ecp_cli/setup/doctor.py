"""The checks of ``ecp doctor``: is the chosen profile usable, does the secret sign as the
documentation says, is the clock right, do the profile's hosts answer.

Each check gives one :class:`Check`; a failed one carries the exit status it stands for
(2 for the configuration, 3 for the network). Nothing here ever shows a secret.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from ecp_cli.environment import Environment
from ecp_cli.errors import ProfileError
from ecp_cli.exit_codes import ExitStatus
from ecp_cli.profiles import (
    DOCUMENTED_EXAMPLE_SECRET,
    LOCAL_FILE,
    USER_FILE,
    Profile,
    find_profile_file,
    load_profile_file,
    resolve_profile,
)

# The worked example of the platform's signature documentation (README: `request.json`)
# and the signature it gives with the documentation's secret, "secret".
DOCUMENTED_EXAMPLE = {
    "project_id": 12345,
    "payment_id": "X03936",
    "payment_amount": 2035,
    "payment_currency": "USD",
    "payment_description": "Guyliner purchase",
    "customer_id": "user007",
    "customer_first_name": "Jack",
    "customer_last_name": "Sparrow",
    "customer_phone": "02081234567",
    "close_on_missclick": True,
}
DOCUMENTED_SIGNATURE = (
    "SyA3cx/dmFrwjRcpbnwEK9zaklWKR9buIfTctQob/EHUTutFLpI0zWpSDFEWEwbZt/04i83395RCdEhtUMw83A=="
)
CLOCK_TOLERANCE = 60.0  # seconds of difference from the platform's clock before a warning
HOSTS = (("payment page", "payment_page_url"), ("gate api", "api_url"), ("pre-check", "check_url"))

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"


@dataclass
class Check:
    name: str
    status: str  # ok, warn, FAIL or skip
    detail: str
    failure: ExitStatus = ExitStatus.INPUT_ERROR  # what a FAIL stands for

    def public(self) -> dict:
        return {"check": self.name, "status": self.status.lower(), "detail": self.detail}


def exit_status(checks: list[Check]) -> ExitStatus:
    """2 if the configuration failed a check, else 3 if the network did, else 0."""
    failures = {check.failure for check in checks if check.status == FAIL}
    for status in (ExitStatus.INPUT_ERROR, ExitStatus.NETWORK_ERROR):
        if status in failures:
            return status
    return ExitStatus.OK


def run_checks(
    env: Environment,
    profiles_path: str | None,
    profile_name: str | None,
    *,
    offline: bool,
    timeout: float,
) -> list[Check]:
    checks = [_file_check(env, profiles_path)]
    path = find_profile_file(env, profiles_path)
    if checks[0].status == FAIL:
        return checks
    if path is not None:
        checks.append(_permissions_check(path))
    try:
        profile = resolve_profile(env, profiles_path, profile_name, require_secret=False)
    except ProfileError as error:
        return [*checks, Check("profile", FAIL, error.message)]
    if profile.project_id is None:
        checks.append(Check("profile", FAIL, f"{profile.label}: no project_id"))
    else:
        checks.append(Check("profile", OK, f"{profile.label} (project {profile.project_id})"))
    checks.append(_secret_check(profile, path))
    if profile.secret:
        checks.append(_signing_check(profile))
    if offline:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        checks.append(Check("clock", SKIP, f"--offline (this machine says {now})"))
        checks += [Check(name, SKIP, "--offline") for name, _ in HOSTS]
        return checks
    answers = [_host_check(name, getattr(profile, key), timeout) for name, key in HOSTS]
    checks.append(_clock_check([date for _, date in answers]))
    checks += [check for check, _ in answers]
    return checks


def _file_check(env: Environment, explicit: str | None) -> Check:
    path = find_profile_file(env, explicit)
    if path is None:
        if env.get("ECP_SECRET"):
            return Check("profile file", OK, "none: $ECP_PROJECT_ID and $ECP_SECRET are used")
        return Check(
            "profile file",
            FAIL,
            f"none (looked for ./{LOCAL_FILE} and {env.user_config_dir() / USER_FILE}); "
            "create one with: ecp init",
        )
    try:
        profile_file = load_profile_file(path)
    except ProfileError as error:
        return Check("profile file", FAIL, error.message)
    names = ", ".join(profile_file.names())
    return Check("profile file", OK, f"{path} (profiles: {names})")


def _permissions_check(path) -> Check:
    import stat

    from ecp_cli.profiles import load_profile_file

    mode = stat.S_IMODE(path.stat().st_mode)
    warnings = load_profile_file(path).warnings
    if warnings:
        return Check("permissions", WARN, f"{mode:04o}: " + "; ".join(warnings))
    return Check("permissions", OK, f"{mode:04o}")


def _secret_check(profile: Profile, path) -> Check:
    if not profile.secret:
        from ecp_cli.profiles import _missing_secret_message

        return Check("secret", FAIL, _missing_secret_message(profile, path))
    source = profile.sources.get("secret", "-")
    return Check("secret", OK, f"set, {len(profile.secret)} characters ({source})")


def _signing_check(profile: Profile) -> Check:
    from ecp_cli.signing.signature import sign

    if sign(DOCUMENTED_EXAMPLE, DOCUMENTED_EXAMPLE_SECRET) != DOCUMENTED_SIGNATURE:
        return Check(
            "signing", FAIL, "the documentation's example does not sign as documented: "
            "this installation of ecp is broken", ExitStatus.INPUT_ERROR,
        )  # fmt: skip
    if profile.secret == DOCUMENTED_EXAMPLE_SECRET:
        return Check(
            "signing",
            OK,
            "the documentation's example signs as documented (SyA3cx/dmFrw…): this is the "
            "documentation's test secret, not one a real project has",
        )
    sign(DOCUMENTED_EXAMPLE, profile.secret or "")
    return Check(
        "signing",
        OK,
        "the documentation's example signs as documented; this profile's own secret signs "
        "it differently, as it should",
    )


def _host_check(name: str, url: str, timeout: float) -> tuple[Check, datetime | None]:
    """Whether ``url`` answers at all (any HTTP status will do) and its Date header."""
    import httpx

    from ecp_cli.http.client import make_client
    from ecp_cli.http.exchange import describe_transport_error

    started = time.monotonic()
    try:
        with make_client(timeout=timeout) as client:
            response = client.get(url + "/")
    except httpx.RequestError as error:
        host = httpx.URL(url).host
        message = describe_transport_error(error, url, host, timeout, 1)
        return Check(name, FAIL, message, ExitStatus.NETWORK_ERROR), None
    elapsed = (time.monotonic() - started) * 1000
    date = None
    if "date" in response.headers:
        from email.utils import parsedate_to_datetime

        try:
            date = parsedate_to_datetime(response.headers["date"]).astimezone(UTC)
        except (TypeError, ValueError):
            date = None
    check = Check(name, OK, f"{url} answered {response.status_code} in {elapsed:.0f} ms")
    return check, date


def _clock_check(dates: list[datetime | None], now: datetime | None = None) -> Check:
    now = now or datetime.now(UTC)
    shown = now.strftime("%Y-%m-%d %H:%M:%S UTC")
    known = [date for date in dates if date is not None]
    if not known:
        return Check("clock", SKIP, f"no host told its time (this machine says {shown})")
    offset = (now - known[0]).total_seconds()
    if abs(offset) > CLOCK_TOLERANCE:
        direction = "ahead of" if offset > 0 else "behind"
        return Check(
            "clock", WARN, f"{shown}: {abs(offset):.0f} s {direction} the platform's clock; "
            "set the time (NTP): times in callbacks and logs will not line up",
        )  # fmt: skip
    return Check("clock", OK, f"{shown}, within {CLOCK_TOLERANCE:.0f} s of the platform's")
