"""Everything ecp reads from the outside world, in one object that tests replace.

Commands never touch ``os.environ``, ``sys.stdout`` or the user's home directly: they ask
the :class:`Environment`, so a test can hand in its own variables, streams and directories.
Streams left unset are looked up when used, so a test runner that swaps ``sys.stdout``
still captures the output.
"""

import os
import sys

TYPE_CHECKING = False  # typing and pathlib cost start-up time; these are for annotations
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import IO

APP_NAME = "ecp"


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


class Environment:
    def __init__(
        self,
        vars: "Mapping[str, str] | None" = None,
        *,
        stdin: "IO | None" = None,
        stdout: "IO | None" = None,
        stderr: "IO | None" = None,
        cwd: "Path | None" = None,
        config_dir: "Path | None" = None,
        data_dir: "Path | None" = None,
        no_color_flag: bool = False,
    ):
        self.vars: Mapping[str, str] = dict(os.environ) if vars is None else vars
        self._stdin, self._stdout, self._stderr = stdin, stdout, stderr
        self._cwd = cwd  # None: the process's, looked up when first asked for
        self.config_dir = config_dir  # None: the platform's user config dir for "ecp"
        self.data_dir = data_dir  # None: the platform's user data dir for "ecp"
        self.no_color_flag = no_color_flag

    @property
    def cwd(self) -> "Path":
        if self._cwd is None:
            from pathlib import Path

            self._cwd = Path.cwd()
        return self._cwd

    @cwd.setter
    def cwd(self, value: "Path") -> None:
        self._cwd = value

    def cwd_text(self) -> str:
        """The working directory as a string, without importing pathlib."""
        return os.fspath(self._cwd) if self._cwd is not None else os.getcwd()

    @classmethod
    def from_os(cls) -> "Environment":
        return cls()

    @property
    def stdin(self) -> "IO":
        return self._stdin if self._stdin is not None else sys.stdin

    @property
    def stdout(self) -> "IO":
        return self._stdout if self._stdout is not None else sys.stdout

    @property
    def stderr(self) -> "IO":
        return self._stderr if self._stderr is not None else sys.stderr

    def get(self, name: str) -> str | None:
        """An environment variable; set-but-empty counts as unset."""
        value = self.vars.get(name)
        return value if value else None

    @property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def stdin_isatty(self) -> bool:
        """Whether a person can answer a prompt (ecp init asks only then)."""
        return _isatty(self.stdin)

    @property
    def stdin_is_redirected(self) -> bool:
        """Whether stdin is a pipe or a file (``ecp verify < cb.json``): data to read. Not a
        terminal, not /dev/null or a socket, which a script run from CI may inherit and
        which must not make a command wait for input that never comes."""
        import stat

        try:
            mode = os.fstat(self.stdin.fileno()).st_mode
        except (AttributeError, ValueError, OSError):
            return False  # no file descriptor (an in-memory stream)
        return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)

    @property
    def color(self) -> bool:
        """Colour only for a person at a terminal who has not asked for none."""
        if self.no_color_flag or self.get("NO_COLOR"):
            return False
        return self.stdout_isatty and self.vars.get("TERM") != "dumb"

    def user_config_dir(self) -> "Path":
        if self.config_dir is not None:
            return self.config_dir
        from pathlib import Path

        return Path(self.user_config_dir_text())

    def user_config_dir_text(self) -> str:
        """user_config_dir() as a string, without importing pathlib."""
        if self.config_dir is not None:
            return os.fspath(self.config_dir)
        if sys.platform.startswith("linux"):  # XDG, without importing platformdirs
            home = os.path.expanduser("~")
            base = self.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
            return os.path.join(base, APP_NAME)
        import platformdirs

        return str(platformdirs.user_config_dir(APP_NAME))

    def user_data_dir(self) -> "Path":
        if self.data_dir is not None:
            return self.data_dir
        if sys.platform.startswith("linux"):
            from pathlib import Path

            base = self.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
            return Path(base) / APP_NAME
        from pathlib import Path

        import platformdirs

        return Path(platformdirs.user_data_dir(APP_NAME))
