"""What the commands share: settings, the client, output, and one line per expected error.

Settings come from flags, then `FINCHAT_*` environment variables, then a TOML config file, the
first that gives a value winning (click's `envvar` and `default_map`; see the settings section).
Every expected failure (bad input, refused credentials, an unknown room, no connection) ends as
one line on stderr and an exit code of `ExitCode`; with `--json` a machine-readable
`{"ok": false, "error": ...}` also goes to stdout. A traceback means a bug. `sandbox`, `listen`
and `contract` use `CliError` and `ExitCode` too; `contract` also `Cli` and the options.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import json
import logging
import os
import stat
import sys
import tomllib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table
from rich.text import Text

from .._client import FinChat
from .._constants import ENV_APP_ID, ENV_BASE_URL, ENV_SECRET, TOKEN_PATH
from .._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    DeadlineExceededError,
    FinChatError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    RoomNotFederatedError,
    ServerError,
    TransportError,
)
from .._logging import Redactor

__all__ = [
    "DEFAULT_RETRIES",
    "ENV_CONFIG",
    "ENV_INSECURE",
    "PIPE_WIDTH",
    "Cli",
    "CliError",
    "ConfigError",
    "ConfigFile",
    "ExitCode",
    "Layers",
    "Settings",
    "api_command",
    "app_id_option",
    "cell",
    "config_option",
    "default_config_path",
    "describe_error",
    "errcode_hint",
    "ids_from",
    "insecure_option",
    "load_config",
    "log_handler",
    "printable",
    "secret_option",
    "show_ids",
    "show_record",
    "show_rows",
]

ENV_CONFIG = "FINCHAT_CONFIG"
ENV_INSECURE = "FINCHAT_INSECURE"
ENV_TIMEOUT = "FINCHAT_TIMEOUT"
CONFIG_KEYS = ("app_id", "secret", "base_url", "insecure", "timeout")
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
# Width of tables written to a pipe or a file: wide enough that an id is never wrapped mid-way.
PIPE_WIDTH = 240


class ExitCode(enum.IntEnum):
    """The exit status of every `finchat` command; the table in `finchat --help` lists them."""

    OK = 0
    FAILED = 1
    """The command ran, and its outcome is negative: a send left recipients failed or unknown, a
    member change was refused for some or all of its users."""
    USAGE = 2
    """Bad usage or input (option, id, file, missing credential, server said FC_BAD_JSON)."""
    AUTH = 3
    """The credentials were refused: bad secret, unknown or unpublished app, refused token."""
    NOT_FOUND = 4
    """The room, user, webhook, organization or department does not exist, or the bot is not in
    the room."""
    SERVER = 5
    """The server failed or rate-limited after retries, or gave an answer that is not FinChat's."""
    CONNECTION = 6
    """No answer: connection refused, name not resolved, timeout."""
    INTERRUPTED = 130
    """Ctrl-C."""


class CliError(click.ClickException):
    """An expected failure: shown as one line, no traceback, with its exit code."""

    def __init__(self, message: str, exit_code: ExitCode, *, errcode: str | None = None) -> None:
        super().__init__(message)
        # click declares exit_code on the class; each CliError carries its own.
        self.exit_code = int(exit_code)  # type: ignore[misc]
        self.errcode = errcode


class ConfigError(CliError):
    """The config file or a setting cannot be used."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitCode.USAGE)


# ---- settings ----------------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])
#
# click does the layering: each option names its variable (`envvar`), the eager `--config`
# option puts the config file into the context's `default_map`, and `get_parameter_source()`
# says which layer gave each value. Here is only what click cannot do: the checks of the file,
# the warning about a secret others can read, each value checked with the name of the place it
# came from, and the list of places a missing value can come from. Nothing is raised before a
# command asks for its settings, so that `--json` reports a bad setting like any other error.


@dataclass(frozen=True)
class Settings:
    """Where and as whom to connect; `sources` says where each value came from, for messages."""

    app_id: str
    secret: str = field(repr=False)
    base_url: str
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT
    sources: Mapping[str, str] = field(default_factory=dict)


def default_config_path(environ: Mapping[str, str]) -> Path:
    """`$FINCHAT_CONFIG`, else `$XDG_CONFIG_HOME/finchat/config.toml` (`~/.config` by default)."""
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG]).expanduser()
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "finchat" / "config.toml"


def load_config(path: Path) -> dict[str, Any]:
    """The settings of a config file; ConfigError names the file and what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the config file {path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(unknown)} in the config file {path}; "
            f"known: {', '.join(CONFIG_KEYS)}"
        )
    for key in ("app_id", "secret", "base_url"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{key} in the config file {path} must be a string")
    if "insecure" in data and not isinstance(data["insecure"], bool):
        raise ConfigError(f"insecure in the config file {path} must be true or false")
    if "timeout" in data and (
        isinstance(data["timeout"], bool) or not isinstance(data["timeout"], int | float)
    ):
        raise ConfigError(f"timeout in the config file {path} must be a number of seconds")
    return data


def _readable_by_others(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.name == "posix" and bool(mode & (stat.S_IRGRP | stat.S_IROTH))


def _positive_seconds(value: object, where: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]  # a str or a number, else TypeError
    except (TypeError, ValueError):
        raise ConfigError(f"{where} must be a number of seconds, not {value!r}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise ConfigError(f"{where} must be a positive number of seconds, not {value!r}")
    return seconds


@dataclass(frozen=True)
class ConfigFile:
    """The config file a command read (or would have read), kept until its settings are asked."""

    path: Path
    values: Mapping[str, Any] = field(default_factory=dict, repr=False)
    error: ConfigError | None = None
    secret_exposed: bool = False


_CONFIG_META = "finchat.config"
_FLAGS = {key: "--" + key.replace("_", "-") for key in CONFIG_KEYS}
_ENVIRONMENT = {
    "app_id": ENV_APP_ID,
    "secret": ENV_SECRET,
    "base_url": ENV_BASE_URL,
    "insecure": ENV_INSECURE,
    "timeout": ENV_TIMEOUT,
}


def _read_config(ctx: click.Context, _: click.Parameter, value: Path | None) -> None:
    """Eager callback of `--config`: the file's values become the defaults of the other options.

    `--config FILE` must exist; without it the default path is read if it exists.
    """
    path = value if value is not None else default_config_path(os.environ)
    file = ConfigFile(path)
    if value is not None or path.is_file():
        try:
            values = load_config(path)
        except ConfigError as exc:
            file = ConfigFile(path, error=exc)
        else:
            exposed = "secret" in values and _readable_by_others(path)
            file = ConfigFile(path, values, secret_exposed=exposed)
            ctx.default_map = {**(ctx.default_map or {}), **values}
    ctx.meta[_CONFIG_META] = file


class _Seconds(click.ParamType[Any]):
    # Kept as given: `Layers.settings` checks it, naming the flag, variable or file key.
    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


class _Switch(click.types.BoolParamType):
    # A boolean flag (click reads its variable only then), but a variable that is no boolean is
    # kept as given, for `Layers.settings` to name it, instead of click's own usage error.
    def convert(  # type: ignore[override]
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> bool | str:
        parsed = self.str_to_bool(value if isinstance(value, bool) else str(value))
        return str(value) if parsed is None else parsed


def config_option() -> Callable[[F], F]:
    return click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        is_eager=True,
        expose_value=False,
        callback=_read_config,
        help=f"TOML config file [env {ENV_CONFIG}; default ~/.config/finchat/config.toml].",
    )


def app_id_option(help: str = f"App id [env {ENV_APP_ID}].") -> Callable[[F], F]:
    return click.option("--app-id", metavar="ID", envvar=ENV_APP_ID, show_envvar=False, help=help)


def secret_option(
    help: str = f"App secret [env {ENV_SECRET}]; prefer the variable or the config file (flags "
    "show in ps). Never printed.",
) -> Callable[[F], F]:
    return click.option("--secret", metavar="SECRET", envvar=ENV_SECRET, help=help)


def insecure_option(
    help: str = "Allow plain http to a host that is not loopback (loopback, e.g. the sandbox, "
    f"always is) [env {ENV_INSECURE}].",
) -> Callable[[F], F]:
    return click.option("--insecure", is_flag=True, type=_Switch(), envvar=ENV_INSECURE, help=help)


@dataclass(frozen=True)
class Layers:
    """The connection settings as click layered them, before they are checked.

    `values` holds what the winning layer gave for each setting given anywhere; `origins` where:
    the flag, the environment variable, or the key in the config file.
    """

    values: Mapping[str, Any] = field(repr=False)
    origins: Mapping[str, str]
    config: ConfigFile

    @classmethod
    def of(cls, ctx: click.Context) -> Layers:
        """The settings of the command being run."""
        file = ctx.meta.get(_CONFIG_META) or ConfigFile(default_config_path(os.environ))
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for key in CONFIG_KEYS:
            source = ctx.get_parameter_source(key) if key in ctx.params else None
            if source is ParameterSource.COMMANDLINE:
                origins[key] = _FLAGS[key]
            elif source is ParameterSource.ENVIRONMENT:
                origins[key] = _ENVIRONMENT[key]
            elif source is ParameterSource.DEFAULT_MAP:
                origins[key] = f"{key} in {file.path}"
            else:
                continue
            values[key] = ctx.params[key]
        return cls(values, origins, file)

    def settings(self, *, warn: Callable[[str], None] = lambda _: None) -> Settings:
        """The checked settings; ConfigError when one is missing or bad."""
        file = self.config
        if file.error is not None:
            raise file.error
        if file.secret_exposed:
            warn(
                f"the config file {file.path} holds a secret and is readable by others: "
                "chmod 600 it"
            )
        # An empty value counts as none: FINCHAT_SECRET= must not mean an empty secret.
        missing = [key for key in ("app_id", "secret", "base_url") if not self.values.get(key)]
        if missing:
            hints = "; ".join(f"{key}: {_FLAGS[key]} or {_ENVIRONMENT[key]}" for key in missing)
            raise ConfigError(
                f"missing {', '.join(missing)} ({hints}, or the config file {file.path})"
            )
        insecure = self.values.get("insecure", False)
        if not isinstance(insecure, bool):
            raise ConfigError(f"{self.origins['insecure']} must be 1 or 0, not {insecure!r}")
        timeout = self.values.get("timeout")
        return Settings(
            app_id=str(self.values["app_id"]),
            secret=str(self.values["secret"]),
            base_url=str(self.values["base_url"]),
            insecure=insecure,
            timeout=DEFAULT_TIMEOUT
            if timeout is None
            else _positive_seconds(timeout, self.origins["timeout"]),
            sources={k: self.origins[k] for k in ("app_id", "secret", "base_url")},
        )


# ---- errors ------------------------------------------------------------------------------------

# What to do about an errcode; `{app_id}`, `{base_url}` and `{secret_from}` are filled in.
_HINTS: dict[str, str] = {
    "FC_INVALID_SECRET": (
        "the secret does not belong to app {app_id}: check the secret (from {secret_from})"
    ),
    "FC_APP_NOT_FOUND": "no app {app_id} on {base_url}: check --app-id and --base-url",
    "FC_APP_NOT_PUBLISHED": (
        "app {app_id} exists but is not published: publish it in the FinChat admin console"
    ),
    "FC_INVALID_ACCESS_TOKEN": (
        "the server refused a freshly issued token: check that app {app_id} is still enabled"
    ),
    "FC_ROOM_NOT_FOUND": (
        "the room does not exist or the app's bot is not in it: check the id, or add the bot"
    ),
    "FC_BAD_JSON": "the server refused the request as malformed: check the ids and the content",
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED": "too many users in one request: send to fewer at a time",
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED": "too many rooms in one request: send to fewer at a time",
    "FC_INTERNAL_ERROR": "the server failed: try again later, or ask its operator",
    "FC_FCID_NOT_FOUND": "no such user: check the fcid (@name:server)",
    "FC_NOT_FOUND": "no such webhook, organization or department: check the id",
    "FC_FORBIDDEN": (
        "app {app_id} may not do this: it lacks the privilege API, or only the room's owner may "
        "make this change"
    ),
    "FC_ROOM_IS_NOT_FEDERATE": (
        "the room does not federate, so users of other servers cannot be in it (a room created "
        "with --federate can hold them)"
    ),
    "FC_FCID_ALREADY_IN_ROOM": "every user to invite is in the room already: nothing changed",
    "FC_FCID_NOT_IN_ROOM": "the users to kick, or the new owner, are not in the room",
}


def errcode_hint(errcode: str | None, settings: Settings | None) -> str | None:
    """What to do about `errcode`, or None when there is nothing specific to say."""
    hint = _HINTS.get(errcode or "")
    return None if hint is None else hint.format(**_fill(settings))


def _fill(settings: Settings | None) -> dict[str, str]:
    return {
        "app_id": settings.app_id if settings else "?",
        "base_url": settings.base_url if settings else "the server",
        "secret_from": settings.sources.get("secret", "?") if settings else "?",
    }


def ids_from(stream: IO[str], check: Callable[[object], str], kind: str) -> list[str]:
    """Ids of a file, one per line; blank lines and `#` comments are skipped."""
    ids = []
    name = getattr(stream, "name", "-")
    number = 0
    try:
        for number, raw in enumerate(stream, start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                ids.append(check(line))
            except ValueError as exc:
                raise CliError(f"{name} line {number}: {exc}", ExitCode.USAGE) from None
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{name} is not UTF-8 text (after line {number}: {exc.reason}); save it as UTF-8",
            ExitCode.USAGE,
        ) from None
    if not ids:
        raise CliError(f"{name} holds no {kind}", ExitCode.USAGE)
    return ids


def printable(value: object) -> str:
    """`value` as one line without control characters: server and user text reach a terminal."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(value)).split())


def cell(value: object) -> Text:
    """A table cell showing `value` as text, never as rich markup."""
    return Text(printable(value))


def describe_error(
    exc: BaseException, settings: Settings | None
) -> tuple[ExitCode, str | None, str]:
    """(exit code, errcode, one line saying what failed and what to do) for an expected error."""
    fill = _fill(settings)
    if isinstance(exc, RedirectError):
        target = exc.location_origin or "an unusable Location"
        return (
            ExitCode.SERVER,
            None,
            f"HTTP {exc.status_code}: {fill['base_url']} redirects to {target}, and redirects are "
            "never followed (the secret would go along); set the base URL to the server itself",
        )
    if isinstance(exc, APIError):
        status = f"HTTP {exc.status_code}"
        if exc.errcode:
            head = f"{exc.errcode}: {printable(exc.error or '') or '(no description)'} ({status})"
        else:
            head = f"{status} without a FinChat error body"
        if _wrong_place(exc):
            # Not FinChat answering, or not its API there: no id or retry can help.
            hint = (
                "{base_url} has no FinChat API there: check the base URL (the server's root, "
                "without /api/...)"
                if exc.errcode
                else "the answer is not FinChat's: check the base URL"
            )
            return ExitCode.SERVER, exc.errcode, f"{head}; {hint.format(**fill)}"
        hint = _HINTS.get(exc.errcode or "") or _hint_for_class(exc)
        return _exit_for_status(exc), exc.errcode, f"{head}; {hint.format(**fill)}"
    if isinstance(exc, APIConnectionError) and not exc.maybe_processed:
        return (
            ExitCode.CONNECTION,
            None,
            f"cannot connect to {fill['base_url']} ({_reason(exc)}); is the server running and "
            "the URL right? (`finchat sandbox` runs a local one)",
        )
    if isinstance(exc, APIConnectionError):
        return (
            ExitCode.CONNECTION,
            None,
            f"the connection to {fill['base_url']} broke ({_reason(exc)}); try again",
        )
    if isinstance(exc, DeadlineExceededError):
        return (
            ExitCode.CONNECTION,
            None,
            f"{fill['base_url']} did not finish answering in time ({printable(exc)}); it is "
            "overloaded, or sends its answer too slowly",
        )
    if isinstance(exc, APITimeoutError | TransportError):
        return (
            ExitCode.CONNECTION,
            None,
            f"no answer from {fill['base_url']} in time ({_reason(exc)}); check the network, or "
            "raise --timeout",
        )
    if isinstance(exc, InvalidResponseError):
        return (
            ExitCode.SERVER,
            None,
            f"{printable(exc)}; check the base URL: is {fill['base_url']} a FinChat server of this"
            " API version?",
        )
    if isinstance(exc, FinChatError | ValueError):
        # The wrapper's own checks (an id, a content field, an upload source): nothing was sent.
        return ExitCode.USAGE, None, printable(exc)
    return ExitCode.FAILED, None, printable(exc) or type(exc).__name__


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__
    if cause is None:
        return printable(exc)
    return printable(cause) or type(cause).__name__


def _wrong_place(exc: APIError) -> bool:
    """Whether the error says the base URL is wrong rather than anything the command asked.

    An error without FinChat's envelope is some other server's (or a proxy's); the token
    operation, which every command makes first, answered "no such path" means the path is wrong.
    """
    if not exc.errcode:
        return True
    request = exc.response.request if exc.response is not None else None
    return (
        isinstance(exc, NotFoundError)
        and exc.errcode == "FC_UNKNOWN"
        and request is not None
        and request.url.path.endswith(TOKEN_PATH)
    )


def _exit_for_status(exc: APIError) -> ExitCode:
    if isinstance(exc, RoomNotFederatedError):
        return ExitCode.USAGE  # a user named who cannot be in that room: the input's fault
    if isinstance(exc, ConflictError):
        return ExitCode.FAILED  # the room's members contradict the change: nothing changed
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        return ExitCode.AUTH
    if exc.errcode == "FC_APP_NOT_FOUND":
        # A 404, but about the credentials: the app id is wrong, not the room or user.
        return ExitCode.AUTH
    if isinstance(exc, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, RateLimitError | ServerError):
        return ExitCode.SERVER
    if 400 <= exc.status_code < 500:
        return ExitCode.USAGE
    return ExitCode.SERVER


def _hint_for_class(exc: APIError) -> str:
    if isinstance(exc, NotFoundError):
        return "not found: check the id (an fcid looks like @name:server, a room id !id:server)"
    if isinstance(exc, RateLimitError):
        return "rate limited: wait a moment and try again"
    if isinstance(exc, ServerError):
        return "the server failed: try again later, or ask its operator"
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        return "the app {app_id} may not do this: check its credentials and permissions"
    return "the server refused the request"


# ---- the invocation ----------------------------------------------------------------------------


class Cli:
    """One invocation of an API command: its settings, client, consoles and JSON switch."""

    def __init__(
        self,
        layers: Layers,
        *,
        retries: int,
        as_json: bool,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.layers = layers
        self.retries = retries
        self.json = as_json
        self.environ = os.environ if environ is None else environ
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.out = Console(
            highlight=False,
            width=None if sys.stdout.isatty() else _pipe_width(self.environ),
        )
        self._settings: Settings | None = None
        # Second line of defence: nothing printed may carry the secret or a token seen.
        self.redact = Redactor(*(s for s in (layers.values.get("secret"),) if isinstance(s, str)))

    def __repr__(self) -> str:
        return f"<Cli json={self.json}>"

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.layers.settings(warn=self.warn)
            self.redact.add(self._settings.secret)
        return self._settings

    @contextlib.contextmanager
    def client(self) -> Iterator[FinChat]:
        """A client for the settings; closed on exit."""
        settings = self.settings
        try:
            client = FinChat(
                settings.app_id,
                settings.secret,
                base_url=settings.base_url,
                timeout=settings.timeout,
                max_retries=self.retries,
                allow_insecure_http=settings.insecure,
            )
        except ValueError as exc:
            message = str(exc)
            if "allow_insecure_http" in message:
                message = message.replace(
                    "pass allow_insecure_http=True", f"pass --insecure (or {ENV_INSECURE}=1)"
                )
            where = ", ".join(f"{k} from {v}" for k, v in settings.sources.items() if k != "secret")
            raise CliError(f"{message} ({where})", ExitCode.USAGE) from None
        with client:
            yield client

    def print(self, renderable: Any) -> None:
        """Human output on stdout (nothing is printed in --json mode)."""
        if not self.json:
            self.out.print(renderable)

    def emit(self, data: Any) -> None:
        """The --json document on stdout, one line."""
        click.echo(self.redact(json.dumps(data, ensure_ascii=False, sort_keys=True)))

    def warn(self, message: str) -> None:
        self.err.print(Text(f"warning: {self.redact(message)}", style="yellow"))

    def fail(self, exc: BaseException) -> NoReturn:
        """Raise the CliError for `exc`; in --json mode the error also goes to stdout."""
        if isinstance(exc, CliError):
            code, errcode, line = ExitCode(exc.exit_code), exc.errcode, exc.message
        else:
            code, errcode, line = describe_error(exc, self._settings)
        line = self.redact(line)
        if self.json:
            self.emit(
                {
                    "ok": False,
                    "error": {"errcode": errcode, "message": line, "exit_code": int(code)},
                }
            )
        if isinstance(exc, CliError) and exc.message == line:
            raise exc from None  # the same error (a ConfigError stays one): nothing to redact
        raise CliError(line, code, errcode=errcode) from None


def show_record(cli: Cli, name: str, data: Mapping[str, Any], **context: Any) -> None:
    """A record a read command shows: under `name` in --json mode, else two columns."""
    if cli.json:
        cli.emit({"ok": True, **context, name: data})
        return
    table = Table(show_header=False, show_edge=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in data.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        table.add_row(cell(key), cell(shown))
    cli.print(table)


def show_rows(
    cli: Cli,
    name: str,
    rows: list[dict[str, Any]],
    columns: Mapping[str, Callable[[dict[str, Any]], object]],
    summary: str,
    *,
    wrap: Collection[str] = (),
    **context: Any,
) -> None:
    """Records a read command lists: under `name` in --json mode, else a table of `columns`
    (each header with what it shows of a row; only those in `wrap` may wrap) and `summary`."""
    if cli.json:
        cli.emit({"ok": True, **context, name: rows})
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in columns:
        table.add_column(column, no_wrap=column not in wrap)
    for row in rows:
        table.add_row(*(cell(shown(row)) for shown in columns.values()))
    cli.print(table)
    cli.print(Text(summary, style="dim"))


def show_ids(cli: Cli, name: str, ids: list[str], empty: str, **context: Any) -> None:
    """Ids a read command lists: under `name` in --json mode, else one per line (pipeable), and
    the note `empty` on stderr when there is none."""
    if cli.json:
        cli.emit({"ok": True, **context, name: ids})
        return
    for value in ids:
        click.echo(printable(value))
    if not ids:
        cli.err.print(Text(empty, style="dim"))


def log_handler() -> logging.Handler:
    """Where a server command's log records go: rich on a terminal, one plain line per record
    when stderr is piped (rich lays records out in columns, wrapped at the width)."""
    if sys.stderr.isatty():
        return RichHandler(console=Console(stderr=True), show_path=False, show_time=False)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    return handler


def _pipe_width(environ: Mapping[str, str]) -> int:
    try:
        return max(40, int(environ.get("COLUMNS", "")))
    except ValueError:
        return PIPE_WIDTH


# ---- the shared options ------------------------------------------------------------------------

_CONNECTION_HELP = (
    f"Settings come from these flags, then {ENV_APP_ID}, {ENV_SECRET}, {ENV_BASE_URL}, "
    f"{ENV_INSECURE}, {ENV_TIMEOUT}, then the config file (--config, ${ENV_CONFIG}, or "
    "~/.config/finchat/config.toml with keys app_id, secret, base_url, insecure, timeout)."
)


def api_command(function: F) -> F:
    """Give an API command the connection options and `--json`, and pass it a `Cli` first.

    Expected errors inside the command become one line and an exit code; Ctrl-C exits 130.
    """

    @app_id_option()
    @secret_option()
    @click.option(
        "--base-url", metavar="URL", envvar=ENV_BASE_URL, help=f"Server URL [env {ENV_BASE_URL}]."
    )
    @config_option()
    @insecure_option()
    @click.option(
        "--timeout",
        type=_Seconds(),
        envvar=ENV_TIMEOUT,
        metavar="SECONDS",
        help=f"Per-request timeout [env {ENV_TIMEOUT}; default {DEFAULT_TIMEOUT:g}].",
    )
    @click.option(
        "--retries",
        type=click.IntRange(0, 10),
        default=DEFAULT_RETRIES,
        show_default=True,
        help="Retries of a failed request that is safe to repeat (never a send).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document, for scripts.")
    @functools.wraps(function)
    def wrapper(*args: Any, retries: int, as_json: bool, **kwargs: Any) -> Any:
        for key in ("app_id", "secret", "base_url", "insecure", "timeout"):
            del kwargs[key]  # read from the context with their sources: `Layers.of`
        cli = Cli(Layers.of(click.get_current_context()), retries=retries, as_json=as_json)
        try:
            return function(cli, *args, **kwargs)
        except CliError as exc:
            cli.fail(exc)
        except KeyboardInterrupt as exc:
            # A bulk send notes how far it went: the reader needs that to decide what to resend.
            notes = "; ".join(getattr(exc, "__notes__", ()))
            cli.fail(CliError(f"interrupted{'; ' + notes if notes else ''}", ExitCode.INTERRUPTED))
        except OSError as exc:
            # httpx wraps network failures, so an OSError here is about a local file.
            where = f" {exc.filename}" if exc.filename else ""
            cli.fail(CliError(f"cannot read{where}: {exc.strerror or exc}", ExitCode.USAGE))
        except (FinChatError, ValueError) as exc:
            # The wrapper's checks raise ValueError for bad input (an id, a content field).
            cli.fail(exc)

    wrapper.__doc__ = inspect.cleandoc(function.__doc__ or "") + "\n\n" + _CONNECTION_HELP
    return wrapper  # type: ignore[return-value]
