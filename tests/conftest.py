"""Shared fixtures: sample callbacks, an isolated environment and a CLI runner."""

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from typer.testing import CliRunner

from ecp_cli.cli import fast_path
from ecp_cli.cli.app import app
from ecp_cli.environment import Environment

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
# The secrets the sample callbacks were signed with (tests/fixtures/samples/README.md).
SAMPLE_SECRETS = {
    "purchase_success.json": "secret",
    "decline_with_errors.json": "secret",
    "tokenize_general_signature.json": "secret",
    "legacy_operations_list.json": "secret",
    "recurring_update.json": "qwerty",
}
SIGNED_SAMPLES = sorted(SAMPLE_SECRETS)
ALL_SAMPLES = sorted(p.name for p in SAMPLES.glob("*.json"))


def split_signed_url(url: str) -> tuple[str, dict[str, str], str | None]:
    """A signed URL's address, parameters and signature, taken apart by the standard
    library (not by ecp), so that tests of ecp's URLs do not trust ecp's own reading."""
    base, _, query = url.partition("?")
    params = dict(parse_qsl(query, keep_blank_values=True))
    return base, params, params.pop("signature", None)


def load_sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


class Cli:
    """Runs ``ecp`` in-process with an Environment of the test's own: no real home
    directory, no real environment variables, cwd in a temporary folder.

    As the launcher does, a plain call that cli/fast_path.py takes runs without Typer;
    anything else runs through the Typer application. ``fast_path = False`` sends every
    call to Typer (tests/cli/test_fast_path.py compares the two)."""

    fast_path = True

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.vars: dict[str, str] = {}
        self.cwd = tmp_path / "work"
        self.cwd.mkdir()
        self.config_dir = tmp_path / "config"
        self.data_dir = tmp_path / "data"

    def environment(self) -> Environment:
        return Environment(
            dict(self.vars), cwd=self.cwd, config_dir=self.config_dir, data_dir=self.data_dir
        )

    def __call__(self, *args: str, input: str | bytes | None = None) -> Run:
        call = fast_path.parse(list(args)) if self.fast_path else None
        if call is None:
            result = CliRunner().invoke(
                app, list(args), input=input, obj=self.environment(), catch_exceptions=False
            )
            return Run(result.exit_code, result.stdout, result.stderr)
        # CliRunner's own stream swap, so that both ways read and write the same streams.
        with CliRunner().isolation(input=input) as (stdout, stderr, _):
            code = fast_path.run(call, self.environment())
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
        return Run(code, _text(out), _text(err))

    def write(self, name: str, content: str | dict, mode: int = 0o600) -> Path:
        path = self.tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
        return path


def _text(captured: bytes) -> str:
    """Captured output as CliRunner's Result shows it."""
    return captured.decode("utf-8", "replace").replace("\r\n", "\n")


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxies_from_the_machine(monkeypatch):
    """Tests talk to servers on 127.0.0.1 with httpx too; a proxy set on the machine running
    them must not decide whether they pass. (Tests of ecp's own proxy handling set them.)"""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def cli(tmp_path) -> Cli:
    """A CLI runner whose only configuration is ECP_SECRET=secret, ECP_PROJECT_ID=112."""
    runner = Cli(tmp_path)
    runner.vars.update({"ECP_SECRET": "secret", "ECP_PROJECT_ID": "112"})
    return runner


@pytest.fixture
def bare_cli(tmp_path) -> Cli:
    """A CLI runner with no configuration at all."""
    return Cli(tmp_path)
