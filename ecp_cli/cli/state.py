"""What one run of ``ecp`` carries: the Environment, the profile choice, output helpers.

Typer-free, so the launcher's fast path and the Typer commands share it. Data goes to
stdout; warnings, notes and errors to stderr.
"""

from ecp_cli.environment import Environment
from ecp_cli.errors import EcpError
from ecp_cli.profiles import Profile, resolve_profile


class State:
    def __init__(
        self,
        env: Environment,
        profiles_path: str | None = None,
        profile_name: str | None = None,
    ):
        self.env = env
        self.profiles_path = profiles_path
        self.profile_name = profile_name
        self.json_printed = False  # whether a --json document went to stdout
        limit = env.get("ECP_MAX_INPUT")
        if limit is not None:
            from ecp_cli import documents

            if limit.isdigit() and limit.isascii() and 0 < len(limit) < 19:
                documents.set_input_limit(int(limit))
            else:
                self.warn(f"ECP_MAX_INPUT={limit!r} is not a number of bytes: ignored")

    def profile(self, *, require_secret: bool = True) -> Profile:
        profile = resolve_profile(
            self.env, self.profiles_path, self.profile_name, require_secret=require_secret
        )
        for warning in profile.warnings:
            self.warn(warning)
        return profile

    def optional_profile(self) -> Profile | None:
        """The profile if one is configured with a secret, else None (for commands that
        can work unverified). Errors in a configuration that exists are still errors."""
        nothing_configured = (
            self.profiles_path is None
            and self.profile_name is None
            and not any(self.env.get(v) for v in ("ECP_PROFILES", "ECP_PROFILE", "ECP_SECRET"))
        )
        try:
            profile = self.profile(require_secret=False)
        except EcpError:
            if nothing_configured:
                return None
            raise
        return profile if profile.secret else None

    def out(self, text: str = "") -> None:
        self.env.stdout.write(text + "\n")

    def say(self, text: str = "") -> None:
        """A human line on stdout, with whatever it quotes shown escaped (text_safety)."""
        from ecp_cli.text_safety import safe_text

        self.env.stdout.write(safe_text(text) + "\n")

    def say_lines(self, text: str) -> None:
        """Human text of several lines: each made safe, the line breaks kept."""
        from ecp_cli.text_safety import safe_lines

        self.env.stdout.write(safe_lines(text) + "\n")

    # Messages are one line each, whatever they quote: a sender's path, a server's answer,
    # a file's key (ecp_cli.text_safety, imported when a message is first written: a
    # clean `ecp verify` writes none).
    def warn(self, message: str) -> None:
        self._message("warning: ", message)

    def note(self, message: str) -> None:
        self._message("", message)

    def error(self, message: str) -> None:
        self._message("error: ", message)

    def _message(self, prefix: str, message: str) -> None:
        from ecp_cli.text_safety import safe_text

        self.env.stderr.write(f"{prefix}{safe_text(message)}\n")

    def print_json(self, data: object) -> None:
        import json  # here: most runs print no JSON, and json imports re

        self.json_printed = True
        self.env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def json_failure(self, message: str, status: int) -> None:
        """For --json: a failure is a JSON object on stdout too (unless the command already
        printed its own), so that `--json | jq` always has JSON to read. The error line
        still goes to stderr."""
        if not self.json_printed:
            self.print_json({"ok": False, "error": message, "exit_status": status})
