from ecp_cli.cli.launcher import run

run()
