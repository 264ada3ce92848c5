"""environment.py: colour rules and directories."""

import io

from ecp_cli.environment import Environment


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_without_no_color(tmp_path):
    assert Environment({}, stdout=Tty()).color is True
    assert Environment({}, stdout=io.StringIO()).color is False
    assert Environment({"NO_COLOR": "1"}, stdout=Tty()).color is False
    assert Environment({"TERM": "dumb"}, stdout=Tty()).color is False
    assert Environment({}, stdout=Tty(), no_color_flag=True).color is False


def test_xdg_directories(tmp_path):
    env = Environment(
        {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    )
    assert env.user_config_dir() == tmp_path / "c" / "ecp"
    assert env.user_data_dir() == tmp_path / "d" / "ecp"
    assert Environment({}, config_dir=tmp_path).user_config_dir() == tmp_path
