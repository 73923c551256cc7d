"""The `finchat` command.

Each command family lives in its own module under this package (`token`, `send`, `upload`,
`webhooks`, `rooms`, `users`, `contacts`, `apps`, `listen`, `sandbox`, `contract`,
`docs_check`), imported only when invoked, so `finchat --help` and every command start without
loading the sandbox, schemathesis or Redis. An API command is one library call plus
presentation; `_common` holds the settings, the client, the errors and exit codes, `_progress`
the progress bars.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# name -> (module under finchat_wrapper._cli, attribute, one-line help shown by `finchat --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "token": ("token", "token", "Fetch an app access token and show its expiry."),
    "send": ("send", "send", "Send a message to rooms and users; print the per-recipient report."),
    "upload": ("upload", "upload", "Upload a file and print its mxc:// URI."),
    "webhook": ("webhooks", "webhook", "Send a message as one of the app's webhook bots."),
    "rooms": ("rooms", "rooms", "Create, read, list and change the app's group rooms."),
    "users": ("users", "users", "Read user profiles and friendships."),
    "contacts": (
        "contacts",
        "contacts",
        "Read the directory: authorities, organizations, departments.",
    ),
    "apps": ("apps", "apps", "Read the app's direct rooms and who can see it."),
    "listen": ("listen", "listen", "Receive webhook events and print them."),
    "sandbox": ("sandbox", "sandbox", "Run a local FinChat sandbox server."),
    "contract": ("contract", "contract", "Contract-test the spec against the sandbox or a server."),
    "docs-check": ("docs_check", "docs_check", "Compare an upstream API document with the spec."),
}

# The commands built with `_common.api_command`: the connection options, `--json`, one library call.
API_COMMANDS = ("apps", "contacts", "rooms", "send", "token", "upload", "users", "webhook")


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute, _ = entry
        module = importlib.import_module(f"{__name__}.{module_name}")
        command: click.Command = getattr(module, attribute)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ModuleNotFoundError as exc:
            # A part of the package whose extra is not installed: say which extra, in one line.
            from ._common import CliError, ExitCode
            from ._extras import MODULE_EXTRAS, install_hint

            module = (exc.name or "").split(".")[0]
            extra = MODULE_EXTRAS.get(module)
            if extra is None:
                raise
            command = ctx.invoked_subcommand or ctx.info_name or "finchat"
            raise CliError(install_hint(command, extra, module), ExitCode.USAGE) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text comes from the table above so that `--help` imports no subcommand module.
        rows = [(name, help_text) for name, (_, _, help_text) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


# The exit status of every command, shown by `finchat --help`. Kept here, as text, so that help
# imports nothing; a test checks it against `_common.ExitCode`, which the commands use.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "success"),
    (1, "negative outcome: a recipient or member change failed, a check failed, docs differ"),
    (2, "bad usage or input (option, id, file, credential missing); nothing sent"),
    (3, "credentials refused: bad secret, unknown or unpublished app; permission lacking"),
    (4, "not found: room, user, webhook, organization, department (or bot not in the room)"),
    (5, "server error or rate limit after retries, or not a FinChat answer"),
    (6, "no connection: refused, name not resolved, no answer in time"),
    (130, "interrupted (Ctrl-C)"),
)


def examples_epilog(*lines: str) -> str:
    """The `Examples:` epilog every command's `--help` ends with."""
    # \b keeps click from re-wrapping the example lines into one paragraph.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


_EPILOG = (
    "\b\nExit status:\n"
    + "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES)
    + "\n\n\b\nExamples:\n"
    "  finchat sandbox --port 8000          # a local server; prints its FINCHAT_* settings\n"
    "  finchat token                        # check the credentials\n"
    "  finchat send --room '!r:example.org' --text hello\n"
    "  finchat upload report.pdf --json\n"
    "\nEach API command takes --app-id, --secret, --base-url (or FINCHAT_APP_ID, FINCHAT_SECRET,"
    " FINCHAT_BASE_URL, or ~/.config/finchat/config.toml) and --json; see `finchat COMMAND -h`."
)


@click.group(
    cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=_EPILOG
)
@click.version_option(package_name="finchat", prog_name="finchat")
def main(**_: Any) -> None:
    """Work with the FinChat open-platform server API from the terminal."""
