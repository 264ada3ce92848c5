from ecp_cli.cli import main

main()
