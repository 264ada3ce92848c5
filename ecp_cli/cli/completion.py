"""Shell completion: ``ecp completion bash|zsh|fish`` prints a script that asks
``ecp __complete WORD...`` for the candidates of the word being typed.

The launcher answers ``__complete`` before anything else is parsed, and nothing here is
imported by any other command, so completion costs ``ecp verify`` nothing. Candidates:
command and subcommand names from the command table; options of the command (its module
is loaded for them); profile names from the profile file; scenario names; the ids of
stored events; the known values of ``--status``, ``--verdict``, ``--mode`` and ``--as``.
An empty answer lets the shell complete file names.
"""

from __future__ import annotations

from typing import Annotated

import typer

SHELLS = ("bash", "zsh", "fish")
GLOBAL_OPTIONS = ("--profiles", "--profile", "-p", "--no-color", "--version", "--help", "-h")
GLOBAL_VALUE_OPTIONS = ("--profiles", "--profile", "-p")

_BASH = """\
# ecp completion for bash: eval "$(ecp completion bash)" in ~/.bashrc
_ecp_complete() {
    local IFS=$'\\n'
    COMPREPLY=($(ecp __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _ecp_complete ecp
"""

_ZSH = """\
#compdef ecp
# ecp completion for zsh: eval "$(ecp completion zsh)" in ~/.zshrc (after compinit)
_ecp() {
    local -a candidates
    candidates=("${(@f)$(ecp __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ -n "${candidates[1]}" ]]; then
        compadd -- "${candidates[@]}"
    else
        _files
    fi
}
compdef _ecp ecp
"""

_FISH = """\
# ecp completion for fish: ecp completion fish > ~/.config/fish/completions/ecp.fish
function __ecp_complete
    set -l tokens (commandline -opc) (commandline -ct)
    ecp __complete $tokens[2..-1] 2>/dev/null
end
complete -c ecp -a '(__ecp_complete)'
"""

SCRIPTS = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}


def completion(
    shell: Annotated[
        str, typer.Argument(metavar="bash|zsh|fish", help="The shell to print the script for.")
    ],
) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, profile names, scenario names and the ids of
    stored events. Install it once:

      bash:  echo 'eval "$(ecp completion bash)"' >> ~/.bashrc

      zsh:   echo 'eval "$(ecp completion zsh)"' >> ~/.zshrc

      fish:  ecp completion fish > ~/.config/fish/completions/ecp.fish

    Exit status: 0 printed, 2 a shell ecp has no script for.

    Examples:

      ecp completion bash > /etc/bash_completion.d/ecp

      eval "$(ecp completion zsh)"
    """
    if shell not in SCRIPTS:
        import difflib

        close = difflib.get_close_matches(shell, SHELLS, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        typer.echo(f"error: {shell}: no completion for this shell{hint} (bash, zsh, fish)",
                   err=True)  # fmt: skip
        raise typer.Exit(2)
    typer.echo(SCRIPTS[shell], nl=False)


# ------------------------------------------------------------------------- the candidates


def candidates(words: list[str], env=None) -> list[str]:
    """What may stand for the last of ``words`` (the word being typed, maybe empty), the
    words before it being what is already on the command line after ``ecp``."""
    from ecp_cli.environment import Environment

    env = env if env is not None else Environment.from_os()
    *before, current = words or [""]
    found = _candidates(before, current, env)
    return [word for word in found if word.startswith(current)]


def _candidates(before: list[str], current: str, env) -> list[str]:
    from ecp_cli.cli.commands import BY_NAME, COMMANDS

    settings: dict[str, str] = {}
    path: list[str] = []  # command, subcommand
    previous = before[-1] if before else None
    skip = False
    for index, word in enumerate(before):
        if skip:
            skip = False
            continue
        if word in GLOBAL_VALUE_OPTIONS or word == "--store":
            if index + 1 < len(before):
                settings[word] = before[index + 1]
            skip = True
        elif not word.startswith("-") and len(path) < 2:
            path.append(word)
    if previous in ("-p", "--profile"):
        return _profile_names(env, settings.get("--profiles"))
    if previous == "--profiles":
        return []
    if not path:
        if current.startswith("-"):
            return list(GLOBAL_OPTIONS)
        return [command.name for command in COMMANDS]
    if path[0] not in BY_NAME:
        return []
    command = _click_command(path[0])
    if hasattr(command, "commands"):  # a group: events, profiles, sandbox
        sub = command.commands.get(path[1]) if len(path) > 1 else None
        if sub is None:
            if current.startswith("-"):
                return [*_option_names(command), *GLOBAL_OPTIONS]
            return list(command.commands)
        command, path = sub, path[:2]
    else:
        path = path[:1]
    if previous is not None and previous.startswith("-") and previous in _value_options(command):
        return _option_values(previous, path)
    if current.startswith("-"):
        return [*_option_names(command), *GLOBAL_OPTIONS]
    return _arguments(path, _arguments_given(before, len(path), command), env, settings)


def _arguments_given(before: list[str], depth: int, command) -> int:
    """How many arguments follow the command path in ``before`` (option values not
    counted)."""
    takes_value = _value_options(command) | set(GLOBAL_VALUE_OPTIONS)
    words = iter(before)
    count = 0
    for word in words:
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            count += 1
    return count - depth


def _click_command(name: str):
    from typer.main import get_command

    from ecp_cli.cli.app import app

    return get_command(app).commands[name]  # type: ignore[attr-defined]


def _option_names(command) -> list[str]:
    return [
        name
        for param in command.params
        if param.param_type_name == "option" and not getattr(param, "hidden", False)
        for name in param.opts
        if name.startswith("--")
    ]


def _value_options(command) -> set[str]:
    return {
        name
        for param in command.params
        if param.param_type_name == "option"
        and not (getattr(param, "is_flag", False) or getattr(param, "count", False))
        for name in param.opts
    }


def _option_values(option: str, path: list[str]) -> list[str]:
    if option == "--status":
        from ecp_cli.callbacks import reference

        return [
            info.value.replace(" ", "_") if " " in info.value else info.value
            for info in reference.all_statuses()
            if info.field == reference.PAYMENT_STATUS
        ]
    if option == "--verdict":
        from ecp_cli.listen.store import VERDICTS

        return list(VERDICTS)
    if option == "--mode":
        from ecp_cli.payment_page.parameters import MODES

        return list(MODES)
    if option == "--as":
        from ecp_cli.signing.sdk_variants import VARIANTS

        return list(VARIANTS)
    return []


def _arguments(path: list[str], already: int, env, settings: dict[str, str]) -> list[str]:
    if path[0] in ("send", "callback") and already == 0:
        from ecp_cli.defaults import SCENARIO_NAMES

        return list(SCENARIO_NAMES)
    if path[:2] in (["events", "show"], ["events", "replay"]) and already == 0:
        return _event_ids(env, settings)
    if path == ["profiles", "show"] and already == 0:
        return _profile_names(env, settings.get("--profiles"))
    if path[0] == "completion" and already == 0:
        return list(SHELLS)
    return []


def _profile_names(env, explicit: str | None) -> list[str]:
    from ecp_cli.errors import EcpError
    from ecp_cli.profiles import find_profile_file, load_profile_file

    try:
        path = find_profile_file(env, explicit)
        return load_profile_file(path).names() if path is not None else []
    except (EcpError, OSError):
        return []


def _event_ids(env, settings: dict[str, str]) -> list[str]:
    """The newest stored events' ids, newest first."""
    from ecp_cli.cli.state import State
    from ecp_cli.cli.store_option import store_path
    from ecp_cli.errors import EcpError
    from ecp_cli.listen.store import Store

    try:
        state = State(env, settings.get("--profiles"), settings.get("--profile") or
                      settings.get("-p"))  # fmt: skip
        path = store_path(state, settings.get("--store"))
        if not path.exists():
            return []
        with Store(path) as store:
            return [str(event.id) for event in store.list(limit=50)]
    except (EcpError, OSError):
        return []


def main(words: list[str]) -> int:
    """``ecp __complete WORD...``: one candidate per line. Never an error: a shell that
    gets nothing completes file names."""
    import sys

    try:
        found = candidates(words)
    except Exception:  # completion must never print a traceback into the prompt
        return 0
    if found:
        sys.stdout.write("\n".join(found) + "\n")
    return 0
