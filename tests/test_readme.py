"""README.md and the --help texts stay true: every command documented with an example,
every option named, the quick start exact, and the shown output what ecp really prints."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.main import get_command

from ecp_cli.cli.app import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# README and the pages of docs/ it links to: a command documented on its own page (such as
# docs/sandbox.md) counts as documented.
DOCS = "\n".join(
    [README] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))]
)
QUICK_START = [
    "pip install . && ecp --profiles profiles.example.yaml url --amount 31415 --currency USD",
    "pip install -e '.[test]' && pytest",
]
# Options that README does not need to name, with the reason. Keep it short.
UNDOCUMENTED_OPTIONS: dict[str, str] = {}
# Global options (before the command) and whether they take a value.
GLOBAL_OPTIONS = {"--profiles": True, "--profile": True, "-p": True, "--no-color": False}
# Marks a console block whose commands run with no secret configured.
NO_SECRET_MARK = "<!-- readme-test: no secret -->"

ROOT_COMMAND = get_command(app)


def command_paths(command=ROOT_COMMAND, path: tuple[str, ...] = ()):
    """(path, command) for every command and subcommand, groups included."""
    if path:
        yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from command_paths(sub, (*path, name))


COMMANDS = dict(command_paths())


def option_names(command) -> set[str]:
    return {
        name
        for param in command.params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }


def code_blocks(text: str = DOCS) -> list[tuple[str, str, int]]:
    """(language, body, offset) of every fenced code block."""
    return [
        (m.group(1), m.group(2), m.start())
        for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)
    ]


def command_lines(body: str) -> list[str]:
    """The lines of a code block that are commands: those after a `$ ` prompt when the
    block has prompts (the others are output), else every line."""
    lines = body.splitlines()
    prompted = [line[2:] for line in lines if line.startswith("$ ")]
    return prompted if prompted else lines


def ecp_invocations(line: str) -> list[list[str]]:
    """The words of each `ecp ...` call in a shell line, global options dropped, up to the
    end of that call (a pipe, a redirection, a comment, `)` or `&&`)."""
    calls = []
    for match in re.finditer(r"(?:^|[\s($|])ecp(?=\s|$)", line):
        words = []
        for word in line[match.end() :].split():
            if word in {"|", "||", "&&", ";", "#", ">", "<", "2>"} or word[0] in "#>)":
                break
            words.append(word.rstrip(")"))
        while words and words[0] in GLOBAL_OPTIONS:
            takes_value = GLOBAL_OPTIONS[words.pop(0)]
            if takes_value and words:
                words.pop(0)
        calls.append(words)
    return calls


def readme_calls() -> list[list[str]]:
    return [
        words
        for _, body, _ in code_blocks()
        for line in command_lines(body)
        for words in ecp_invocations(line)
    ]


def resolve(words: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """The longest command path the words start with, and the words after it."""
    path: tuple[str, ...] = ()
    while words and (*path, words[0]) in COMMANDS:
        path = (*path, words[0])
        words = words[1:]
    return path, words


# ----------------------------------------------------------------------------- commands


def test_the_introspection_finds_commands_and_subcommands():
    # A check on the introspection itself, so that the tests below cannot pass empty.
    assert {"sign", "verify", "url", "decode", "show", "explain", "listen", "send"} <= {
        path[0] for path in COMMANDS
    }
    assert ("profiles", "list") in COMMANDS and ("events", "replay") in COMMANDS


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_has_an_example_in_a_readme_code_block(path):
    examples = [words for words in readme_calls() if tuple(words[: len(path)]) == path]
    assert examples, f"README.md has no `ecp {' '.join(path)}` example in a code block"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_has_a_readme_heading_or_table_row(path):
    # Each top-level command has a heading ("ecp NAME", or the group's own title);
    # subcommands are described in their group's section.
    name = " ".join(path)
    if len(path) == 1:
        headings = re.findall(r"^#{1,3} (.*)$", DOCS, re.M)
        pattern = rf"ecp {name}\b|^{name}$"
        assert any(re.search(pattern, h, re.I) for h in headings), name
    else:
        assert f"`events {path[1]}" in DOCS or f"ecp {name}" in DOCS, name


def test_every_option_of_every_command_is_named_in_the_readme():
    missing = []
    for path, command in [((), ROOT_COMMAND), *COMMANDS.items()]:
        for option in sorted(option_names(command)):
            key = f"{' '.join(path)} {option}".strip()
            if key in UNDOCUMENTED_OPTIONS:
                continue
            if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", DOCS):
                missing.append(key)
    assert missing == [], f"options README.md does not name: {missing}"


def test_the_allow_list_names_real_options_and_gives_reasons():
    for key, reason in UNDOCUMENTED_OPTIONS.items():
        *path, option = key.split()
        command = COMMANDS[tuple(path)] if path else ROOT_COMMAND
        assert option in option_names(command), key
        assert len(reason) > 10, key


def test_every_readme_example_uses_real_commands_and_options():
    wrong = []
    calls = readme_calls()
    for words in calls:
        path, rest = resolve(words)
        if not words or words[0] in {"--version", "-h", "--help"}:
            continue
        if not path:
            wrong.append(f"ecp {' '.join(words)}: unknown command")
            continue
        known = option_names(COMMANDS[path]) | {"--help", "-h"}
        for word in rest:
            option = word.split("=", 1)[0]
            if re.fullmatch(r"--[\w-]+|-[a-zA-Z]", option) and option not in known:
                wrong.append(f"ecp {' '.join(words)}: {option} is not an option")
    assert wrong == []
    assert len(calls) > 60  # the parser found the examples


def test_the_readme_example_parser_sees_through_prompts_pipes_and_globals():
    assert ecp_invocations("URL=$(ecp url --amount 1 --currency EUR)") == [
        ["url", "--amount", "1", "--currency", "EUR"]
    ]
    assert ecp_invocations("ecp -p live status x --json | jq .a") == [["status", "x", "--json"]]
    assert ecp_invocations("ecp url --json | jq .params | ecp check -") == [
        ["url", "--json"],
        ["check", "-"],
    ]
    assert ecp_invocations("ecp_cli.cli is a package") == []
    assert command_lines("$ ecp sign a.json\nSIGNATURE\n") == ["ecp sign a.json"]


# ----------------------------------------------------------------------------- wording


def test_the_quick_start_is_exactly_the_two_commands():
    section = README.split("## Quick start\n", 1)[1].split("\n## ", 1)[0]
    blocks = code_blocks(section)
    assert len(blocks) == 1
    assert blocks[0][1].splitlines() == QUICK_START


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = [
        step.strip()
        for line in ci.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
        for step in line.split("&&")
    ]
    readme_steps = [step.strip() for step in QUICK_START[1].split("&&")]
    positions = [steps.index(step) for step in readme_steps]  # ValueError: CI lacks a step
    assert positions == sorted(positions)


def test_nothing_is_left_unfinished_or_pointing_outside_the_repo():
    # The Performance section is the lead's to fill.
    text = re.sub(r"<!-- section: performance -->.*?(?=<!-- section: )", "", README, flags=re.S)
    for phrase in ("coming soon", "(in progress)", "TODO", "TBD", "../", "shared/"):
        assert phrase.lower() not in text.lower(), phrase


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_inside_the_readme_points_at_a_heading():
    anchors = {github_anchor(h) for h in re.findall(r"^#{1,4} (.*)$", README, re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", README)
    assert len(links) > 15  # the table of contents at least
    assert sorted(set(links) - anchors) == []


def test_every_exit_status_is_in_the_exit_code_table():
    from ecp_cli.cli.launcher import INTERNAL_ERROR
    from ecp_cli.exit_codes import ExitStatus

    table = README.split("## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    for status in [*map(int, ExitStatus), INTERNAL_ERROR]:
        assert re.search(rf"^\| {status} \|", table, re.M), status


def test_every_environment_variable_ecp_reads_is_in_the_table():
    table = README.split("Environment variables:\n\n", 1)[1].split("\n\n", 1)[0]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "ecp_cli").rglob("*.py"))
    read = set(re.findall(r"""(?:get|environ\.get)\(\s*["'](ECP_\w+|NO_COLOR|XDG_\w+)""", sources))
    assert read >= {"ECP_SECRET", "ECP_PROFILE", "NO_COLOR"}
    for variable in read:
        assert f"`{variable}`" in table, variable


def test_the_profile_file_format_names_every_key():
    from ecp_cli.profiles import PROFILE_KEYS

    section = README.split("<!-- section: profiles -->", 1)[1].split("<!-- section: ", 1)[0]
    for key in sorted(PROFILE_KEYS | {"default", "profiles"}):
        assert f"{key}:" in section or f"`{key}`" in section, key


# ----------------------------------------------------------------------------- output


def console_examples():
    """(command, expected output, secret configured?) for every `$ ecp ...` in a console block."""
    found = []
    for language, body, offset in code_blocks():
        if language != "console":
            continue
        no_secret = README[:offset].rstrip().endswith(NO_SECRET_MARK)
        parts = re.split(r"^\$ (.*)\n", body, flags=re.M)
        for command, output in zip(parts[1::2], parts[2::2], strict=True):
            found.append((command, output.strip("\n") + "\n", not no_secret))
    return found


CONSOLE = console_examples()


def test_console_examples_are_found():
    assert len(CONSOLE) >= 6


@pytest.mark.parametrize(
    ("command", "expected", "with_secret"), CONSOLE, ids=[c[0] for c in CONSOLE]
)
def test_console_example_shows_what_ecp_prints(cli, monkeypatch, command, expected, with_secret):
    ecp_part, _, pipe = command.partition(" | ")
    words = shlex.split(ecp_part)
    assert words[0] == "ecp"
    if pipe and shutil.which(shlex.split(pipe)[0]) is None:
        pytest.skip(f"{shlex.split(pipe)[0]} is not installed")
    monkeypatch.chdir(ROOT)  # README paths are relative to the repository
    if not with_secret:
        cli.vars.clear()
    run = cli(*words[1:])
    if pipe:
        output = subprocess.run(
            pipe, shell=True, input=run.stdout, capture_output=True, text=True, check=True
        ).stdout
        assert output == expected
    else:
        # A terminal shows both streams; which comes first depends on the command.
        assert expected in (run.stdout + run.stderr, run.stderr + run.stdout)


# ----------------------------------------------------------------------------- --help


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_help_has_runnable_examples(path):
    command = COMMANDS[path]
    help_text = command.help or ""
    assert "\nExamples:\n" in help_text, f"ecp {' '.join(path)} --help has no Examples part"
    examples = help_text.split("\nExamples:\n", 1)[1]
    calls = [words for line in examples.splitlines() for words in ecp_invocations(line)]
    assert any(tuple(words[: len(path)]) == path for words in calls), (
        f"ecp {' '.join(path)} --help: no example of it under Examples"
    )
    for words in calls:
        found, rest = resolve(words)
        assert found, f"{path}: example runs ecp {' '.join(words)}"
        known = option_names(COMMANDS[found]) | {"--help", "-h"}
        for word in rest:
            option = word.split("=", 1)[0]
            if option.startswith("-") and option != "-":
                assert option in known, f"{path}: {option} in an example is not an option"


def test_the_top_level_help_examples_are_real_commands():
    examples = (ROOT_COMMAND.help or "").split("\nExamples:\n", 1)[1].split("Exit status")[0]
    calls = [words for line in examples.splitlines() for words in ecp_invocations(line)]
    assert len(calls) >= 4
    for words in calls:
        assert words[0] == "COMMAND" or resolve(words)[0], words


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_help_examples_stay_indented_on_screen(cli, path):
    # Typer dedents all but the first paragraph together: help whose second paragraph is
    # "Examples:" would print its examples flush left, like prose.
    run = cli(*path, "--help")
    assert run.exit_code == 0
    lines = [line for line in run.stdout.splitlines() if line.strip()]
    heading = next(i for i, line in enumerate(lines) if line.strip() == "Examples:")
    indent = len(lines[heading]) - len(lines[heading].lstrip())
    example = lines[heading + 1]
    assert example.lstrip().startswith(("ecp", "SIG=", "URL=", "pbpaste", "ECP_"))
    assert len(example) - len(example.lstrip()) >= indent + 2, example


def test_the_library_example_runs_and_its_comment_is_true():
    import json

    section = README.split("## Using ecp as a library\n", 1)[1].split("\n## ", 1)[0]
    (language, code, _), *_ = code_blocks(section)
    assert language == "python"
    sample = ROOT / "tests" / "fixtures" / "samples" / "purchase_success.json"
    namespace = {"callback_body": json.loads(sample.read_text(encoding="utf-8"))}
    exec(compile(code, "README.md", "exec"), namespace)
    shown = re.search(r"signed_string\(params\)  # '(.*)\.\.\.'", code).group(1)
    assert namespace["signed_string"](namespace["params"]).startswith(shown)
    assert namespace["result"].verdict is namespace["Verdict"].VALID


def test_the_library_section_says_which_function_is_the_sdks_sign():
    # sign/verify pair with signed_string (signature keys left out); string_to_sign is what
    # the SDK's SignatureHandler::sign signs (signature keys kept). Issue 10, item 7.
    section = README.split("## Using ecp as a library\n", 1)[1].split("\n## ", 1)[0]
    assert "from ecp_cli.signing.signature import sign, signed_string, verify" in section
    assert "`string_to_sign(params)` leaves out `frame_mode` only" in section
    assert "`SignatureHandler::sign($params)`" in section
