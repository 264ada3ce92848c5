"""ecp init, ecp profiles add and ecp doctor: a profile written without an editor, and the
checks of a setup, against hosts on 127.0.0.1."""

import os
import re
import stat
import sys

import pytest
import yaml

from tests.fake_platform import FakePlatform
from tests.http_endpoint import closed_port_url


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ----------------------------------------------------------------------------- init / add


def test_init_without_a_terminal_takes_flags_and_env(bare_cli):
    bare_cli.vars["ECP_SECRET"] = "s3cr3t-value"
    run = bare_cli("init", "--project-id", "112")
    assert run.exit_code == 0
    path = bare_cli.config_dir / "profiles.yaml"
    assert mode(path) == 0o600
    assert yaml.safe_load(path.read_text()) == {
        "default": "test",
        "profiles": {"test": {"project_id": 112, "secret": "s3cr3t-value"}},
    }
    assert run.stdout == ""
    assert run.stderr == (
        f"created {path} (readable by you only): profile 'test', project 112, "
        "secret: 12 characters\ncheck it with: ecp doctor\n"
    )
    assert "s3cr3t-value" not in run.stderr
    # The profile is the one ecp now uses.
    del bare_cli.vars["ECP_SECRET"]
    assert bare_cli("profiles", "show", "--json").json()["project_id"] == 112


def test_profiles_add_here_from_stdin_and_keeps_the_others(bare_cli):
    run = bare_cli("profiles", "add", "live", "--project-id", "67890", "--here",
                   "--secret-stdin", input="line-one-secret\nignored\n")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    path = bare_cli.cwd / "ecp.yaml"
    assert mode(path) == 0o600
    run = bare_cli("profiles", "add", "ci", "--project-id", "112", "--here",
                   "--secret-env", "ECP_CI_SECRET")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith("secret from $ECP_CI_SECRET\ncheck it with: ecp -p ci doctor\n")
    assert yaml.safe_load(path.read_text()) == {
        "default": "live",  # the first profile stays the default
        "profiles": {
            "live": {"project_id": 67890, "secret": "line-one-secret"},
            "ci": {"project_id": 112, "secret_env": "ECP_CI_SECRET"},
        },
    }
    bare_cli.vars["ECP_CI_SECRET"] = "from-env"
    facts = bare_cli("-p", "ci", "profiles", "show", "--json").json()
    assert facts["sources"]["secret"] == "env $ECP_CI_SECRET"


def test_an_existing_profile_is_replaced_only_with_force(bare_cli):
    bare_cli.vars["ECP_SECRET"] = "first"
    assert bare_cli("init", "--project-id", "1", "--here").exit_code == 0
    path = bare_cli.cwd / "ecp.yaml"
    before = path.read_text()
    bare_cli.vars["ECP_SECRET"] = "second"
    run = bare_cli("init", "--project-id", "2", "--here")
    assert (run.exit_code, run.stderr) == (
        2,
        f"error: {path}: a profile named 'test' exists; --force replaces it\n",
    )
    assert path.read_text() == before
    assert bare_cli("init", "--project-id", "2", "--here", "--force").exit_code == 0
    assert yaml.safe_load(path.read_text())["profiles"]["test"] == {
        "project_id": 2, "secret": "second",
    }  # fmt: skip


def test_a_world_readable_file_becomes_private_and_no_temporary_is_left(bare_cli):
    path = bare_cli.write("profiles.yaml", "profiles:\n  a:\n    project_id: 1\n", mode=0o644)
    run = bare_cli("--profiles", str(path), "profiles", "add", "b", "--project-id", "2",
                   "--secret-env", "B_SECRET")  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith(f"check it with: ecp --profiles {path} -p b doctor\n")
    assert mode(path) == 0o600
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    "args, env, message",
    [
        ((), {"ECP_SECRET": "x"}, "no project id: give --project-id N or set ECP_PROJECT_ID "
         "(ecp asks only on a terminal)"),
        (("--project-id", "1"), {}, "no secret: give --secret-env VAR or --secret-stdin, or "
         "set ECP_SECRET (ecp asks only on a terminal)"),
        (("--project-id", "abc"), {"ECP_SECRET": "x"},
         "project id: project_id must be a positive integer, got 'abc'"),
        (("--project-id", "1", "--secret-env", "NOT A NAME"), {},
         "--secret-env NOT A NAME: not an environment variable name"),
        (("--project-id", "1", "--secret-stdin"), {}, "--secret-stdin: the first line of stdin "
         "is empty"),
        (("--here", "--project-id", "1"), {"ECP_SECRET": "x", "ECP_PROFILES": ""}, None),
    ],
)  # fmt: skip
def test_init_refuses_what_it_cannot_use_and_writes_nothing(bare_cli, args, env, message):
    bare_cli.vars.update(env)
    run = bare_cli("init", *args, input="")
    if message is None:
        assert run.exit_code == 0
        return
    assert (run.exit_code, run.stderr) == (2, f"error: {message}\n")
    assert not (bare_cli.config_dir / "profiles.yaml").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_init_on_a_terminal_asks_and_never_echoes_the_secret(tmp_path):
    """A real `ecp init` on a pseudo-terminal: the project id is typed visibly, the secret
    is not echoed, and the file gets both."""
    import pty
    import select
    import time

    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: ecp on the terminal
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "ecp_cli", "init"], env)
    seen = b""

    def read_until(text: bytes, limit: float = 20.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + limit
        while text not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 1024)
                except OSError:
                    break
        assert text in seen, seen

    read_until(b"project id: ")
    os.write(fd, b"112\n")
    read_until(b"secret (not shown): ")
    os.write(fd, b"typed-secret-value\n")
    read_until(b"doctor")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"112" in seen  # the project id was echoed as typed
    assert b"typed-secret-value" not in seen
    path = home / "cfg" / "ecp" / "profiles.yaml"
    assert yaml.safe_load(path.read_text())["profiles"]["test"] == {
        "project_id": 112, "secret": "typed-secret-value",
    }  # fmt: skip
    assert mode(path) == 0o600


# ----------------------------------------------------------------------------------- doctor


def profile_file(cli, url: str, secret_line: str = "    secret: secret\n", mode: int = 0o600):
    return cli.write(
        "work/ecp.yaml",
        "profiles:\n  test:\n    project_id: 112\n" + secret_line
        + f"    payment_page_url: {url}\n    api_url: {url}\n    check_url: {url}\n",
        mode=mode,
    )  # fmt: skip


def lines_of(run) -> list[tuple[str, str]]:
    return [(line[:4].strip(), line[6:].split("  ")[0]) for line in run.stdout.splitlines()]


def test_doctor_all_good_against_hosts_on_loopback(bare_cli):
    with FakePlatform() as platform:
        path = profile_file(bare_cli, platform.url)
        run = bare_cli("doctor")
    assert run.exit_code == 0, run.stdout
    lines = run.stdout.splitlines()
    assert lines[0] == f"ok    profile file  {path} (profiles: test)"
    assert lines[1] == "ok    permissions   0600"
    assert lines[2] == "ok    profile       test (project 112)"
    assert lines[3] == f"ok    secret        set, 6 characters (file {path})"
    assert lines[4].startswith(
        "ok    signing       the documentation's example signs as documented (SyA3cx/dmFrw…)"
    )
    assert re.fullmatch(r"ok    clock         \S+ \S+ UTC, within 60 s of the platform's", lines[5])
    for line, name in zip(lines[6:], ("payment page", "gate api", "pre-check"), strict=True):
        assert re.fullmatch(
            rf"ok    {name:<12}  {re.escape(platform.url)} answered \d+ in \d+ ms", line
        )
    assert [r.method for r in platform.requests] == ["GET"] * 3


def test_doctor_hosts_that_do_not_answer_are_exit_3(bare_cli):
    url = closed_port_url()
    profile_file(bare_cli, url)
    run = bare_cli("doctor", "--timeout", "2")
    assert run.exit_code == 3
    assert f"FAIL  gate api      {url}: connection refused" in run.stdout.splitlines()
    offline = bare_cli("doctor", "--offline")
    assert offline.exit_code == 0
    assert lines_of(offline)[-4:] == [
        ("skip", "clock"), ("skip", "payment page"), ("skip", "gate api"), ("skip", "pre-check"),
    ]  # fmt: skip


def test_doctor_configuration_failures_are_exit_2(bare_cli):
    run = bare_cli("doctor", "--offline")
    assert run.exit_code == 2
    assert run.stdout.startswith("FAIL  profile file  none (looked for ./ecp.yaml and ")
    assert run.stdout.endswith("create one with: ecp init\n")
    profile_file(bare_cli, "http://127.0.0.1:9", secret_line="    secret_env: NOT_SET_HERE\n")
    run = bare_cli("doctor", "--offline", "--json")
    assert run.exit_code == 2
    data = run.json()
    assert data["ok"] is False
    secret = next(c for c in data["checks"] if c["check"] == "secret")
    assert secret["status"] == "fail"
    assert secret["detail"].endswith("reads its secret from $NOT_SET_HERE, which is not set")
    profile_file(bare_cli, "http://127.0.0.1:9", secret_line="    projectid: 5\n")
    run = bare_cli("doctor", "--offline")
    assert run.exit_code == 2
    assert "unknown key 'projectid'" in run.stdout


def test_doctor_warns_about_a_readable_secret_and_a_real_secret_signs_differently(bare_cli):
    path = profile_file(bare_cli, "http://127.0.0.1:9", "    secret: my-own\n", mode=0o644)
    run = bare_cli("doctor", "--offline")
    assert run.exit_code == 0  # a warning is not a failure
    lines = run.stdout.splitlines()
    assert lines[1] == (
        f"warn  permissions   0644: {path} holds a secret and is readable by other users; "
        f"run: chmod 600 {path}"
    )
    assert lines[4] == (
        "ok    signing       the documentation's example signs as documented; this "
        "profile's own secret signs it differently, as it should"
    )
    assert "my-own" not in run.stdout + run.stderr


def test_doctor_with_environment_variables_only(bare_cli):
    bare_cli.vars.update({"ECP_PROJECT_ID": "112", "ECP_SECRET": "secret"})
    run = bare_cli("doctor", "--offline")
    assert run.exit_code == 0
    assert run.stdout.splitlines()[:2] == [
        "ok    profile file  none: $ECP_PROJECT_ID and $ECP_SECRET are used",
        "ok    profile       (environment) (project 112)",
    ]


def test_the_clock_check():
    from datetime import UTC, datetime, timedelta

    from ecp_cli.setup.doctor import _clock_check

    now = datetime(2026, 11, 30, 8, 0, 0, tzinfo=UTC)
    assert _clock_check([None, now - timedelta(seconds=30)], now).status == "ok"
    late = _clock_check([now + timedelta(seconds=300)], now)
    assert (late.status, late.detail) == (
        "warn",
        "2026-11-30 08:00:00 UTC: 300 s behind the platform's clock; set the time (NTP): "
        "times in callbacks and logs will not line up",
    )
    assert _clock_check([None], now).status == "skip"
