"""defaults.py: the one home of every default, cheap enough for the command line to import."""

import subprocess
import sys

from ecp_cli import defaults
from ecp_cli.callbacks.scenarios import SCENARIOS


def test_importing_the_defaults_loads_no_other_ecp_module():
    code = (
        "import sys, ecp_cli.defaults; "
        "print(sorted(m for m in sys.modules if m.startswith('ecp_cli.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "['ecp_cli.defaults']"


def test_the_scenario_catalogue_follows_the_listed_names():
    assert tuple(SCENARIOS) == defaults.SCENARIO_NAMES
    assert all(scenario.name == name for name, scenario in SCENARIOS.items())
