"""README.md, docs/ and the --help texts stay true: every command documented with an
example, every option named, the quick start exact, the shown output what ecp really prints
(run from a copy of the repository, as a fresh clone), every link resolved, and
docs/cli-reference.md what the app declares."""

import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.main import get_command

from ecp_cli.cli.app import app

ROOT = Path(__file__).parents[1]
README_PATH = ROOT / "README.md"
GENERATED_REFERENCE = ROOT / "docs" / "cli-reference.md"
# The hand-written documentation: README, the manual pages, the spec, the examples' README.
# The generated reference is left out: it would make "every option documented" trivially true.
DOC_PATHS = [
    README_PATH,
    *sorted(p for p in (ROOT / "docs").rglob("*.md") if p != GENERATED_REFERENCE),
    ROOT / "examples" / "README.md",
]
DOCS = {path: path.read_text(encoding="utf-8") for path in DOC_PATHS}
README = DOCS[README_PATH]
# Everything the documentation says, for "is X documented somewhere" questions.
ALL_DOCS = "\n\n".join(DOCS.values())
README_MAX_LINES = 250
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
# A console example's last output line "..." stands for the rest of the output.
ELLIPSIS_LINE = "\n...\n"

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


def code_blocks(text: str = README) -> list[tuple[str, str, int]]:
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
    """Every `ecp ...` call in a code block of README or docs/."""
    return [
        words
        for text in DOCS.values()
        for _, body, _ in code_blocks(text)
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
    assert examples, f"README and docs/ have no `ecp {' '.join(path)}` example in a code block"


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_has_a_readme_heading_or_table_row(path):
    # Each top-level command has a row in README's command table and a heading in docs/
    # ("ecp NAME", or the group's own title); subcommands are described in their group's
    # section.
    name = " ".join(path)
    if len(path) == 1:
        first_cells = re.findall(r"^\| ([^|]*(?:\\\|[^|]*)*) \|", README, re.M)
        assert any(re.search(rf"`ecp {name}\b", cell) for cell in first_cells), (
            f"README's command table lacks {name}"
        )
        headings = re.findall(r"^#{1,3} (.*)$", ALL_DOCS, re.M)
        pattern = rf"ecp {name}\b|^{name}$"
        assert any(re.search(pattern, h, re.I) for h in headings), name
    else:
        assert f"`events {path[1]}" in ALL_DOCS or f"ecp {name}" in ALL_DOCS, name


def test_every_option_of_every_command_is_named_in_the_readme():
    missing = []
    for path, command in [((), ROOT_COMMAND), *COMMANDS.items()]:
        for option in sorted(option_names(command)):
            key = f"{' '.join(path)} {option}".strip()
            if key in UNDOCUMENTED_OPTIONS:
                continue
            if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", ALL_DOCS):
                missing.append(key)
    assert missing == [], f"options README and docs/ do not name: {missing}"


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


def test_the_readme_is_a_front_page():
    assert len(README.splitlines()) <= README_MAX_LINES


LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(text: str) -> list[str]:
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def test_nothing_is_left_unfinished_or_pointing_outside_the_repo():
    for path, text in [*DOCS.items(), (GENERATED_REFERENCE, reference_text())]:
        # A relative link may climb out of docs/, as long as it lands in the repository
        # (checked below); any other "../" would name something outside it.
        text = LINK.sub("](link)", text)
        outside = ("../", "shar" + "ed/", "/wo" + "rk/")  # halves: this file names neither
        for phrase in ("coming soon", "(in progress)", "TODO", "TBD", *outside):
            assert phrase.lower() not in text.lower(), f"{path.name}: {phrase}"


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The ids of a Markdown text's headings (those outside code blocks), with GitHub's
    -1, -2 ... suffixes for repeated ones."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.*)$", prose, re.M):
        anchor = base = github_anchor(heading)
        n = 0
        while anchor in found:
            n += 1
            anchor = f"{base}-{n}"
        found.add(anchor)
    return found


def reference_text() -> str:
    return GENERATED_REFERENCE.read_text(encoding="utf-8")


def test_every_relative_link_resolves_to_a_file_and_heading_in_the_repository():
    broken = []
    count = 0
    for path, text in [*DOCS.items(), (GENERATED_REFERENCE, reference_text())]:
        for target in relative_links(text):
            count += 1
            file_part, _, anchor = target.partition("#")
            where = path if not file_part else (path.parent / file_part).resolve()
            label = f"{path.relative_to(ROOT)}: {target}"
            if not where.is_relative_to(ROOT) or not where.exists():
                broken.append(f"{label} (no such file in the repository)")
            elif (
                anchor
                and where.suffix == ".md"
                and anchor not in anchors(where.read_text(encoding="utf-8"))
            ):
                broken.append(f"{label} (no such heading)")
    assert count > 40  # the parser found the links
    assert broken == []


def test_every_documentation_page_is_linked_from_the_readme():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in relative_links(README)}
    pages = [p for p in (ROOT / "docs").rglob("*.md")] + [ROOT / "examples" / "README.md"]
    assert sorted(str(p.relative_to(ROOT)) for p in pages if p not in linked) == []


def test_every_exit_status_is_in_the_exit_code_table():
    from ecp_cli.cli.launcher import INTERNAL_ERROR
    from ecp_cli.exit_codes import ExitStatus

    table = README.split("## Exit codes\n", 1)[1].split("\n## ", 1)[0]
    for status in [*map(int, ExitStatus), INTERNAL_ERROR]:
        assert re.search(rf"^\| {status} \|", table, re.M), status


PROFILES_PAGE = DOCS[ROOT / "docs" / "profiles.md"]


def test_every_environment_variable_ecp_reads_is_in_the_table():
    table = PROFILES_PAGE.split("Environment variables:\n\n", 1)[1].split("\n\n", 1)[0]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "ecp_cli").rglob("*.py"))
    read = set(re.findall(r"""(?:get|environ\.get)\(\s*["'](ECP_\w+|NO_COLOR|XDG_\w+)""", sources))
    assert read >= {"ECP_SECRET", "ECP_PROFILE", "NO_COLOR"}
    for variable in read:
        assert f"`{variable}`" in table, variable


def test_the_profile_file_format_names_every_key():
    from ecp_cli.profiles import PROFILE_KEYS

    for key in sorted(PROFILE_KEYS | {"default", "profiles"}):
        assert f"{key}:" in PROFILES_PAGE or f"`{key}`" in PROFILES_PAGE, key


# ----------------------------------------------------------------------------- reference


def test_the_command_reference_is_generated_from_the_app():
    render = runpy.run_path(str(ROOT / "scripts" / "cli_reference.py"), run_name="reference")
    assert reference_text() == render["render"](), (
        "docs/cli-reference.md is stale: python scripts/cli_reference.py > docs/cli-reference.md"
    )


def test_the_command_reference_has_every_command_and_option():
    text = reference_text()
    for path, command in [((), ROOT_COMMAND), *COMMANDS.items()]:
        section = text.split(f"\n## {' '.join(('ecp', *path))}\n", 1)[1].split("\n## ", 1)[0]
        for option in option_names(command):
            assert f"`{option}`" in section, (path, option)


# ----------------------------------------------------------------------------- output


def console_examples():
    """(command, expected output, secret configured?) for every `$ ecp ...` in a console
    block of README or docs/."""
    found = []
    for text in DOCS.values():
        for language, body, offset in code_blocks(text):
            if language != "console":
                continue
            no_secret = text[:offset].rstrip().endswith(NO_SECRET_MARK)
            parts = re.split(r"^\$ (.*)\n", body, flags=re.M)
            for command, output in zip(parts[1::2], parts[2::2], strict=True):
                found.append((command, output.strip("\n") + "\n", not no_secret))
    return found


CONSOLE = console_examples()


def test_console_examples_are_found():
    assert len(CONSOLE) >= 15


@pytest.fixture(scope="session")
def fresh_clone(tmp_path_factory) -> Path:
    """A copy of the files a clone has (tracked, or new and not ignored), so that an
    example cannot lean on a file that exists only in a developer's checkout."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0 or shutil.which("git") is None:
        return ROOT  # not a git checkout (an sdist): the files here are the clone
    clone = tmp_path_factory.mktemp("clone")
    for name in filter(None, listed.stdout.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


@pytest.mark.parametrize(
    ("command", "expected", "with_secret"), CONSOLE, ids=[c[0] for c in CONSOLE]
)
def test_console_example_shows_what_ecp_prints(
    cli, monkeypatch, fresh_clone, command, expected, with_secret
):
    ecp_part, _, pipe = command.partition(" | ")
    words = shlex.split(ecp_part)
    assert words[0] == "ecp"
    if pipe and shutil.which(shlex.split(pipe)[0]) is None:
        pytest.skip(f"{shlex.split(pipe)[0]} is not installed")
    monkeypatch.chdir(fresh_clone)  # the documented paths are relative to a clone's root
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
        shown = (run.stdout + run.stderr, run.stderr + run.stdout)
        if expected.endswith(ELLIPSIS_LINE):  # the start of the output, then "..."
            start = expected.removesuffix(ELLIPSIS_LINE)
            assert any(output.startswith(start) for output in shown), shown[0]
        else:
            assert expected in shown


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


LIBRARY_PAGE = DOCS[ROOT / "docs" / "library.md"]


def test_the_library_example_runs_and_its_comment_is_true():
    import json

    (language, code, _), *_ = code_blocks(LIBRARY_PAGE)
    assert language == "python"
    sample = ROOT / "examples" / "callback.json"
    namespace = {"callback_body": json.loads(sample.read_text(encoding="utf-8"))}
    exec(compile(code, "docs/library.md", "exec"), namespace)
    shown = re.search(r"signed_string\(params\)  # '(.*)\.\.\.'", code).group(1)
    assert namespace["signed_string"](namespace["params"]).startswith(shown)
    assert namespace["result"].verdict is namespace["Verdict"].VALID
    # The other complete examples of the page run too, one after the other (those with
    # "..." placeholders only show a call's shape).
    for language, code, _ in code_blocks(LIBRARY_PAGE)[1:]:
        if language == "python" and "..." not in code:
            exec(compile(code, "docs/library.md", "exec"), namespace)


def documented_imports() -> list[str]:
    """Every `from ecp_cli... import ...` / `import ecp_cli...` line of a python block."""
    return [
        line.strip()
        for text in DOCS.values()
        for language, body, _ in code_blocks(text)
        if language == "python"
        for line in body.splitlines()
        if re.match(r"\s*(from ecp_cli[\w.]* import |import ecp_cli)", line)
    ]


def test_documented_imports_are_found():
    assert len(documented_imports()) >= 5


@pytest.mark.parametrize("statement", documented_imports())
def test_every_documented_import_runs(statement):
    exec(statement, {})


def test_every_module_and_name_the_docs_give_exists():
    # `ecp_cli.x.y` and `ecp_cli.x.y.Name.attribute` in README and docs/: the longest
    # importable prefix is imported, the rest looked up on it.
    import importlib

    names = set(re.findall(r"`(ecp_cli(?:\.\w+)+)", ALL_DOCS))
    assert len(names) > 20
    assert set(re.findall(r"`(ecp_cli(?:\.\w+)+)`", LIBRARY_PAGE)) <= names
    missing = []
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                found: object = importlib.import_module(".".join(parts[:cut]))
                break
            except ModuleNotFoundError:
                continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute, None)
        if found is None:
            missing.append(name)
    assert missing == []


def test_the_library_page_says_which_function_is_the_sdks_sign():
    # sign/verify pair with signed_string (signature keys left out); string_to_sign is what
    # the SDK's SignatureHandler::sign signs (signature keys kept).
    assert "from ecp_cli.signing.signature import sign, signed_string, verify" in LIBRARY_PAGE
    assert "`string_to_sign(params)` leaves out `frame_mode` only" in LIBRARY_PAGE
    assert "`SignatureHandler::sign($params)`" in LIBRARY_PAGE
