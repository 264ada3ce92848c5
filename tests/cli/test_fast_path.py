"""cli/fast_path.py: every call it takes, Typer would have passed the same values to the
same action; and the two ways print the same, byte for byte."""

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecp_cli.callbacks import scenarios
from ecp_cli.cli import common, fast_path, help_render
from ecp_cli.cli.app import app
from ecp_cli.cli.command_options import COMMANDS
from ecp_cli.environment import Environment
from tests.conftest import SAMPLES

GOOD = str(SAMPLES / "purchase_success.json")
BAD = str(SAMPLES / "awaiting_3ds_unknown_secret.json")


def test_the_option_table_is_what_typer_declares():
    source = (help_render.OPTIONS_FILE).read_text(encoding="utf-8")
    assert source == help_render.options_source(), "run: python -m ecp_cli.cli.help_render"


def test_the_one_shot_commands_are_all_in_it():
    assert set(COMMANDS) == {
        ("verify",), ("sign",), ("url",), ("explain",), ("decode",), ("show",),
        ("callback",), ("profiles", "list"),
    }  # fmt: skip


def typer_call(argv: list[str], monkeypatch) -> tuple | None:
    """(action module, params, settings) the Typer application would run ``argv`` with,
    or None when it would not run the action (a usage error, help, --version)."""
    seen: list[tuple] = []

    def record(state, action, params, labels):
        settings = {
            "profiles_path": state.profiles_path,
            "profile_name": state.profile_name,
            "no_color": state.env.no_color_flag,
        }
        seen.append((action.__module__, dict(params), settings))
        return 0

    monkeypatch.setattr(common, "invoke", record)
    CliRunner().invoke(app, argv, obj=Environment({}), catch_exceptions=False)
    return seen[0] if seen else None


def fast_call(argv: list[str]) -> tuple | None:
    call = fast_path.parse(argv)
    if call is None:
        return None
    return call.action, call.params, call.settings


TAKEN = [
    ["verify", GOOD],
    ["--no-color", "verify", "-q", GOOD, "-"],
    ["-p", "live", "verify", "--json", GOOD],
    ["--profiles=x.yaml", "verify", "--jsonl=log"],
    ["verify", "--jsonl", "log", "--workers", "3"],
    ["verify", "--", "-odd-name.json"],
    ["verify", "--explain", "--against", "good.json", "bad.json"],
    ["verify", "cb.json", "-p", "test", "--no-color", "--json"],
    ["verify"],
    ["sign", "request.json"],
    ["sign", "--embed", "-", "--profile", "live"],
    ["sign", "--as=python", "--explain", "--json", "r.json"],
    ["url", "--amount", "31415", "--currency", "USD"],
    ["url", "--param", "a=1", "--param=b=2", "--params", "-", "--timeout", "2.5"],
    ["url", "--check", "--retries", "0", "--timeout=30", "--open", "--base-url", "http://h"],
    ["url", "--amount", "1", "--amount", "2"],  # click keeps the last
    ["explain", "3028"],
    ["explain", "awaiting", "3ds", "result", "--json"],
    ["decode", "https://paymentpage.ecommpay.com/payment?a=1"],
    ["decode", "-", "--json"],
    ["show", GOOD],
    ["show", "--brief", "-"],
    ["callback", "success", "--seed", "1"],
    ["callback", "--from", "x.json", "--set", "a.b=1", "--set", "c=2", "--seed=-5"],
    ["callback", "decline", "--code", "10102", "--sequence", "--bad-signature"],
    ["profiles", "list"],
    ["--profiles", "p.yaml", "profiles", "list", "--json"],
]

NOT_TAKEN = [
    [],
    ["verify", "--help"],
    ["sign", "-h"],
    ["verify", "--bogus"],
    ["--profile", "verify", GOOD],  # a profile named like the command
    ["-p"],
    ["-ptest", "verify", GOOD],  # click's own reading of attached short values
    ["verify", "--jsonl"],
    ["verify", "--workers", "many"],
    ["verify", "--workers", "1_0"],
    ["--version"],
    ["sign"],
    ["sign", "a.json", "b.json"],
    ["sign", "--json=1", "a.json"],
    ["sign", "--as", "--json", "a.json"],  # a value that looks like an option
    ["url", "--timeout", "1e3"],
    ["url", "--timeout", "nan"],
    ["explain"],
    ["profiles", "show"],
    ["profiles", "-p", "x", "list"],
    ["events", "list"],
]


@pytest.mark.parametrize("argv", TAKEN, ids=" ".join)
def test_plain_calls_are_taken_with_the_values_typer_passes(argv, monkeypatch):
    fast = fast_call(argv)
    assert fast is not None
    assert fast == typer_call(argv, monkeypatch)


@pytest.mark.parametrize("argv", NOT_TAKEN, ids=" ".join)
def test_everything_else_goes_to_typer(argv):
    assert fast_path.parse(argv) is None


PLAIN_VALUES = {"text": ["a.json", "-", "x", "a=b", "5"], "texts": ["a=1", "b.c=2", "-"],
                "integer": ["0", "5", "17"], "number": ["2", "2.5", "30"]}  # fmt: skip
ODD_VALUES = ["", "-5", "-x", "1_0", "+3", " 7", "\u0663", "1e3", "nan", "inf", "0.", ".5"]
ODD_WORDS = ["--", "-h", "--help", "--version", "--no-color", "-p", "--profile", "--profiles",
             "-ptest", "--profile=t", "--profiles=", "-p=x", "--jsn", "-q", "-qq", "-"]  # fmt: skip


@st.composite
def _units(draw, path: tuple[str, ...]) -> list[str]:
    """One piece of a call of ``path``: mostly an option of its own with a plain value,
    sometimes a positional word, a global option, an odd value or an odd word."""
    declared = COMMANDS[path][1]
    choice = draw(st.integers(0, 9))
    if choice < 6 and any(param[3] for param in declared):
        _, _, kind, flags, _, _ = draw(st.sampled_from([p for p in declared if p[3]]))
        flag = draw(st.sampled_from(flags))
        if kind == "flag":
            return [flag]
        odd = draw(st.integers(0, 4)) == 0
        value = draw(st.sampled_from(ODD_VALUES if odd else PLAIN_VALUES[kind]))
        return [f"{flag}={value}"] if draw(st.booleans()) else [flag, value]
    if choice < 8:
        return [draw(st.sampled_from(["a.json", "b.json", "-", "3028", "x y"]))]
    if choice < 9:
        return draw(st.sampled_from([["-p", "t"], ["--profile=u"], ["--no-color"],
                                     ["--profiles", "f.yaml"]]))  # fmt: skip
    return [draw(st.sampled_from(ODD_WORDS + ODD_VALUES))]


@st.composite
def calls(draw):
    path = draw(st.sampled_from(sorted(COMMANDS)))
    before = draw(st.lists(st.sampled_from([["--no-color"], ["-p", "t"], ["--profiles", "f.yaml"],
                                            ["--profile=u"], ["-h"]]), max_size=2))  # fmt: skip
    after = draw(st.lists(_units(path), max_size=6))
    return [*(word for unit in before for word in unit), *path,
            *(word for unit in after for word in unit)]  # fmt: skip


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(argv=calls())
def test_any_call_taken_gets_what_typer_would_pass(argv, monkeypatch):
    fast = fast_call(argv)
    if fast is not None:
        assert fast == typer_call(argv, monkeypatch)


# The same calls both ways, whole: exit status, stdout and stderr.
SAME_OUTPUT = [
    ("verify", GOOD),
    ("verify", GOOD, BAD),
    ("verify", "--json", GOOD, BAD, "missing.json"),
    ("verify", "--quiet", BAD),
    ("verify", "--explain", BAD),
    ("-p", "nope", "verify", GOOD),
    ("sign", GOOD),
    ("sign", "--embed", GOOD),
    ("sign", "--explain", "--json", GOOD),
    ("sign", "--as", "python", GOOD),
    ("sign", "--as", "cobol", GOOD),
    ("sign", "missing.json"),
    ("sign", "--json", "missing.json"),
    ("sign", "-", "--profiles", "nowhere.yaml"),
    ("url", "--amount", "31415", "--currency", "USD", "--payment-id", "o-1"),
    ("url", "--amount", "31415", "--currency", "USD", "--payment-id", "o-1", "--json"),
    ("url", "--param", "broken", "--payment-id", "o-1"),
    ("url", "--payment-id", "o-1", "--check", "--timeout", "0"),
    ("url", "--payment-id", "o-1", "--base-url", "ftp://x"),
    ("url", "--payment-id", "o-\udcff"),  # not UTF-8: named by its option
    ("explain", "3028", "awaiting_capture"),
    ("explain", "--json", "3028", "nothing-like-this"),
    ("explain", "awaitng"),
    ("decode", "https://paymentpage.ecommpay.com/payment?project_id=112&payment_id=o"),
    ("decode", "--json", "not a url"),
    ("show", GOOD),
    ("show", "--brief", BAD),
    ("show", "--json", GOOD),
    ("show", "missing.json"),
    ("callback", "success", "--seed", "1"),
    ("callback", "3ds", "--sequence", "--seed", "2", "--set", "customer.id=c7"),
    ("callback", "nonsense"),
    ("callback", "decline", "--amount", "ten"),
    ("profiles", "list"),
    ("profiles", "list", "--json"),
]


class _FixedClock(datetime):
    """A callback's dates come from the clock: both runs must read the same second."""

    @classmethod
    def now(cls, tz=None):
        return datetime(2026, 11, 30, 12, 0, 0, tzinfo=tz)


@pytest.mark.parametrize("args", SAME_OUTPUT, ids=" ".join)
def test_both_ways_print_the_same(cli, args, monkeypatch):
    monkeypatch.setattr(scenarios, "datetime", _FixedClock)
    assert fast_path.parse(list(args)) is not None
    fast = cli(*args, input=json.dumps({"a": 1}))
    cli.fast_path = False
    slow = cli(*args, input=json.dumps({"a": 1}))
    assert (fast.exit_code, fast.stdout, fast.stderr) == (
        slow.exit_code,
        slow.stdout,
        slow.stderr,
    )


def test_a_profile_file_gives_the_same_listing_both_ways(cli):
    cli.write("work/ecp.yaml", "default: t\nprofiles:\n  t:\n    project_id: 1\n"
              "    secret: s\n  broken:\n    project_id: x\n")  # fmt: skip
    fast = cli("profiles", "list")
    cli.fast_path = False
    slow = cli("profiles", "list")
    assert (fast.exit_code, fast.stdout, fast.stderr) == (
        slow.exit_code,
        slow.stdout,
        slow.stderr,
    )
    assert fast.exit_code == 2 and "! " in fast.stdout
