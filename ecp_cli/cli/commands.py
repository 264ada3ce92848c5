"""Every ``ecp`` command, in one table: its name, where its code is, its help panel and the
one-line help ``ecp --help`` lists.

Nothing here is imported until a command runs: ``ecp sign`` loads ``cli/sign.py`` and no
other command module, and ``ecp --help`` lists every command from this table alone
(cli/lazy_group.py does the loading). Command modules do not register themselves anywhere.

To add a command, write its module (a Typer function, or a ``typer.Typer`` for a command
with subcommands) and add one line below; the order of the lines is the order of
``ecp --help``. ``short_help`` is the first paragraph of the command's docstring (a test
holds them equal). Then refresh the help pages the launcher prints without Typer:
``python -m ecp_cli.cli.help_render`` (a test holds them equal to Typer's, too).

This module is plain data: it imports nothing, so that every caller stays fast.
"""


class Command:
    """One line of the table (a plain class: even ``typing`` costs start-up time)."""

    __slots__ = ("name", "target", "panel", "short_help")

    def __init__(self, name: str, target: str, panel: str, short_help: str):
        self.name = name
        self.target = target  # "module:attribute": a Typer function, or a typer.Typer group
        self.panel = panel  # the heading it is listed under in ``ecp --help``
        self.short_help = short_help

    def load(self):
        """The Typer function or group, importing its module (and only that)."""
        import importlib

        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


SIGNATURES, CALLBACKS, GATE_API, SETUP = "Signatures", "Callbacks", "Gate API", "Setup"
SANDBOX = "Sandbox"

COMMANDS: tuple[Command, ...] = (
    Command("check", "ecp_cli.cli.check:check_command", GATE_API,
            "Ask the platform whether the Payment Page would accept these parameters."),
    Command("decode", "ecp_cli.cli.decode:decode", SIGNATURES,
            "Split a Payment Page URL into its parameters, verify its signature and check it."),
    Command("explain", "ecp_cli.cli.explain:explain_command", CALLBACKS,
            "Explain response codes, payment and operation statuses, and types."),
    Command("listen", "ecp_cli.cli.listen:listen", CALLBACKS,
            "Receive callbacks here: verify, store, answer, print one line each."),
    Command("send", "ecp_cli.cli.send:send", CALLBACKS,
            "POST signed callbacks to your endpoint and show its replies."),
    Command("callback", "ecp_cli.cli.callback:callback", CALLBACKS,
            "Print a signed callback without sending it: fixtures for your own tests."),
    Command("show", "ecp_cli.cli.show:show_command", CALLBACKS,
            "Show what a callback says: verdict, outcome, payment, operation, codes explained."),
    Command("sign", "ecp_cli.cli.sign:sign", SIGNATURES,
            "Sign a parameter file with the profile's secret and print the signature."),
    Command("status", "ecp_cli.cli.status:status_command", GATE_API,
            "Ask the Gate API for the status of a payment; check the answer's signature."),
    Command("capture", "ecp_cli.cli.operations:capture_command", GATE_API,
            "Capture the funds an auth payment holds (payment awaiting capture -> success)."),
    Command("cancel", "ecp_cli.cli.operations:cancel_command", GATE_API,
            "Release the funds an auth payment holds (awaiting capture -> cancelled)."),
    Command("refund", "ecp_cli.cli.operations:refund_command", GATE_API,
            "Refund a successful payment, all of what is left or --amount of it."),
    Command("url", "ecp_cli.cli.url:url_command", SIGNATURES,
            "Build a signed Payment Page URL and print it."),
    Command("verify", "ecp_cli.cli.verify:verify_command", SIGNATURES,
            "Verify callback signatures with the profile's secret."),
    Command("events", "ecp_cli.cli.events:events_app", CALLBACKS,
            "The callbacks `ecp listen` stored: list, follow, show, replay, export, clear."),
    Command("sandbox", "ecp_cli.cli.sandbox:sandbox_app", SANDBOX,
            "Run the ecommpay platform on this machine, for tests that need no network."),
    Command("profiles", "ecp_cli.cli.profiles:profiles_app", SETUP,
            "List, inspect and add project profiles (secrets are always masked)."),
    Command("init", "ecp_cli.cli.setup:init", SETUP,
            "Create a profile without an editor: project id and secret, in a file only you "
            "can read."),
    Command("doctor", "ecp_cli.cli.setup:doctor", SETUP,
            "Check the setup: profile file, permissions, secret, signing, clock, hosts."),
    Command("completion", "ecp_cli.cli.completion:completion", SETUP,
            "Print the shell completion script for bash, zsh or fish."),
)  # fmt: skip

BY_NAME = {command.name: command for command in COMMANDS}
