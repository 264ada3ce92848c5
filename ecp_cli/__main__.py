from ecp_cli.cli.launcher import main

main()
