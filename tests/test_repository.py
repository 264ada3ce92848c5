"""The repository stands on its own: no file names a path outside it, and code and tests
say what they mean rather than pointing at the tracker's issue numbers.

README.md and docs/ are checked by test_readme.py."""

import functools
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHECKED = ["ecp_cli", "tests", "benchmarks", "examples", ".ci", "pyproject.toml"]
SKIPPED_PARTS = {"__pycache__", ".venv", ".hypothesis", ".ruff_cache", ".mypy_cache"}
# Written in two halves so that this file does not name them itself.
OUTSIDE = re.compile("|".join(["/wo" + "rk/", "shar" + "ed/(?:spec|samples|reference)"]))
ISSUE_NUMBER = re.compile(r"\bissues?\s+#?\d+", re.IGNORECASE)


@functools.cache
def text_files() -> list[Path]:
    found = []
    for name in CHECKED:
        top = REPO / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.is_file() and not SKIPPED_PARTS & set(path.relative_to(REPO).parts):
                found.append(path)
    return found


@functools.cache
def texts() -> list[tuple[Path, str]]:
    found = []
    for path in text_files():
        try:
            found.append((path, path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue  # binary data
    return found


def lines_matching(pattern: re.Pattern) -> list[str]:
    hits = []
    for path, text in texts():
        if not pattern.search(text):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:100]}")
    return hits


def test_the_files_are_found():
    names = {path.relative_to(REPO).as_posix() for path in text_files()}
    assert {"ecp_cli/defaults.py", "tests/test_repository.py", "pyproject.toml"} <= names


@pytest.mark.parametrize(
    ("pattern", "what"),
    [(OUTSIDE, "a path outside the repository"), (ISSUE_NUMBER, "an issue number")],
    ids=["outside", "issue"],
)
def test_no_file_names(pattern, what):
    assert lines_matching(pattern) == [], f"these lines name {what}"


def test_the_patterns_find_what_they_look_for():
    assert OUTSIDE.search("see ../shar" + "ed/spec/signature.md")
    assert OUTSIDE.search("$samplesDir = '/wo" + "rk/samples';")
    assert ISSUE_NUMBER.search("Target (iss" + "ue 13): at most")
    assert ISSUE_NUMBER.search("fixed in Iss" + "ue #7")
    assert not ISSUE_NUMBER.search("the card issuer 3 times")
    assert not OUTSIDE.search("docs/spec/signature.md")
