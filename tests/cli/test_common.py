"""Settings resolution, config files and the error -> one line + exit code mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
from click.testing import CliRunner

from finchat_wrapper._cli._common import (
    Cli,
    ConfigError,
    ConfigFile,
    ExitCode,
    Layers,
    Settings,
    api_command,
    cell,
    default_config_path,
    describe_error,
    load_config,
    printable,
)
from finchat_wrapper._errors import (
    APIConnectionError,
    APITimeoutError,
    DeadlineExceededError,
    InvalidResponseError,
    RedirectError,
    ResponseTooLargeError,
    api_error_from_response,
)
from finchat_wrapper._upload import UploadSourceError

APP = "5cf29aec6ccfd004ccd28075"
SECRET = "90fa4652-5cd1-4280-ae20-e3d381f9b1fa"
URL = "https://finchat.example.org"


@click.command()
@api_command
def settings_of(cli: Cli) -> tuple[Settings, list[str]]:
    warned: list[str] = []
    return cli.layers.settings(warn=warned.append), warned


def resolve_with_warnings(
    environ: dict[str, str] | None, config: Path | None, **flags: Any
) -> tuple[Settings, list[str]]:
    """The settings an API command gets from `flags`, the environment and the config file."""
    args = ["--config", str(config)] if config is not None else []
    for name, value in flags.items():
        option = "--" + name.replace("_", "-")
        if value is True:
            args.append(option)
        elif value is not False:
            args += [option, str(value)]
    # Only what the test gives: none of the environment of whoever runs the tests.
    cleared = dict.fromkeys(
        ("FINCHAT_APP_ID", "FINCHAT_SECRET", "FINCHAT_BASE_URL", "FINCHAT_CONFIG",
         "FINCHAT_INSECURE", "FINCHAT_TIMEOUT"),
    )  # fmt: skip
    env = {**cleared, **(environ or {})}
    result = CliRunner().invoke(
        settings_of, args, env=env, standalone_mode=False, catch_exceptions=False
    )
    settings, warned = result.return_value
    return settings, warned


def resolve(
    environ: dict[str, str] | None = None, config: Path | None = None, **flags: Any
) -> Settings:
    environ = {"XDG_CONFIG_HOME": "/nonexistent", **(environ or {})}
    return resolve_with_warnings(environ, config, **flags)[0]


def write_config(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_flags_win_over_environment_which_wins_over_the_config_file(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "c.toml",
        f'app_id = "fileapp"\nsecret = "filesecret"\nbase_url = "{URL}"\ntimeout = 7\n',
    )
    env = {"FINCHAT_APP_ID": "envapp", "FINCHAT_SECRET": "envsecret"}
    settings = resolve(env, config, app_id="flagapp")
    assert (settings.app_id, settings.secret, settings.base_url) == ("flagapp", "envsecret", URL)
    assert settings.timeout == 7
    assert settings.sources == {
        "app_id": "--app-id",
        "secret": "FINCHAT_SECRET",
        "base_url": f"base_url in {config}",
    }


def test_the_default_config_file_is_read_when_it_exists(tmp_path: Path) -> None:
    path = tmp_path / "finchat" / "config.toml"
    path.parent.mkdir()
    write_config(path, f'app_id = "{APP}"\nsecret = "{SECRET}"\nbase_url = "{URL}"\n')
    settings = resolve({"XDG_CONFIG_HOME": str(tmp_path)})
    assert settings.app_id == APP
    assert default_config_path({"FINCHAT_CONFIG": "~/x.toml"}) == Path.home() / "x.toml"


def test_a_missing_value_lists_every_place_it_can_come_from() -> None:
    with pytest.raises(ConfigError, match=r"missing app_id, secret \(app_id: --app-id or") as exc:
        resolve({"FINCHAT_BASE_URL": URL})
    assert exc.value.exit_code == ExitCode.USAGE
    assert "FINCHAT_SECRET" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('app_id = "a"\nsecert = "x"\n', r"unknown key\(s\) secert"),
        ("app_id = ", "is not valid TOML"),
        ("app_id = 5\n", "app_id in the config file .* must be a string"),
        ('insecure = "yes"\n', "insecure .* must be true or false"),
        ("timeout = -1\n", "must be a positive number of seconds"),
    ],
)
def test_a_bad_config_file_is_named_with_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    config = write_config(tmp_path / "c.toml", text)
    env = {"FINCHAT_APP_ID": APP, "FINCHAT_SECRET": SECRET, "FINCHAT_BASE_URL": URL}
    with pytest.raises(ConfigError, match=message):
        resolve(env, config)


def test_an_explicit_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config(tmp_path / "absent.toml")


def test_a_config_file_with_a_secret_readable_by_others_draws_a_warning(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'app_id = "{APP}"\nsecret = "{SECRET}"\nbase_url = "{URL}"\n')
    config.chmod(0o644)
    _, warnings = resolve_with_warnings({}, config)
    assert len(warnings) == 1
    assert "chmod 600" in warnings[0]
    assert SECRET not in warnings[0]


@pytest.mark.parametrize(
    ("flag", "env", "file", "expected"),
    [
        (True, None, False, True),
        (False, "1", False, True),
        (False, "0", True, False),
        (False, None, True, True),
        (False, None, False, False),
    ],
)
def test_insecure_comes_from_the_flag_then_the_environment_then_the_file(
    tmp_path: Path, flag: bool, env: str | None, file: bool, expected: bool
) -> None:
    config = write_config(
        tmp_path / "c.toml",
        f'app_id = "{APP}"\nsecret = "{SECRET}"\nbase_url = "{URL}"\n'
        f"insecure = {str(file).lower()}\n",
    )
    environ = {"FINCHAT_INSECURE": env} if env is not None else {}
    assert resolve(environ, config, insecure=flag).insecure is expected


def test_a_bad_insecure_or_timeout_variable_is_refused() -> None:
    env = {"FINCHAT_APP_ID": APP, "FINCHAT_SECRET": SECRET, "FINCHAT_BASE_URL": URL}
    with pytest.raises(ConfigError, match="FINCHAT_INSECURE must be 1 or 0"):
        resolve({**env, "FINCHAT_INSECURE": "maybe"})
    with pytest.raises(ConfigError, match="FINCHAT_TIMEOUT must be a number"):
        resolve({**env, "FINCHAT_TIMEOUT": "soon"})


def test_settings_and_flags_reprs_leave_the_secret_out() -> None:
    settings = Settings(app_id=APP, secret=SECRET, base_url=URL)
    assert SECRET not in repr(settings)
    flags = Layers({"app_id": APP, "secret": SECRET}, {}, ConfigFile(Path("c.toml")))
    assert SECRET not in repr(flags)


# ---- errors ------------------------------------------------------------------------------------

SETTINGS = Settings(app_id=APP, secret=SECRET, base_url=URL, sources={"secret": "FINCHAT_SECRET"})


def api_error(status: int, errcode: str | None, error: str = "boom") -> Exception:
    body = json.dumps({"errcode": errcode, "error": error}) if errcode else "<html>bad gateway"
    request = httpx.Request("POST", f"{URL}/api/v1/finchat/open-api/message/send")
    return api_error_from_response(httpx.Response(status, text=body, request=request))


@pytest.mark.parametrize(
    ("error", "code", "hint"),
    [
        (api_error(401, "FC_INVALID_SECRET"), ExitCode.AUTH, "(from FINCHAT_SECRET)"),
        (api_error(404, "FC_APP_NOT_FOUND"), ExitCode.AUTH, f"no app {APP} on {URL}"),
        (api_error(403, "FC_APP_NOT_PUBLISHED"), ExitCode.AUTH, "publish it"),
        (api_error(401, "FC_INVALID_ACCESS_TOKEN"), ExitCode.AUTH, "still enabled"),
        (api_error(404, "FC_ROOM_NOT_FOUND"), ExitCode.NOT_FOUND, "add the bot"),
        (api_error(404, "FC_UNKNOWN"), ExitCode.NOT_FOUND, "check the id"),
        (api_error(404, "FC_FCID_NOT_FOUND"), ExitCode.NOT_FOUND, "no such user"),
        (api_error(404, "FC_NOT_FOUND"), ExitCode.NOT_FOUND, "webhook, organization or department"),
        (api_error(403, "FC_FORBIDDEN"), ExitCode.AUTH, "only the room's owner"),
        (api_error(403, "FC_ROOM_IS_NOT_FEDERATE"), ExitCode.USAGE, "--federate"),
        (api_error(409, "FC_FCID_ALREADY_IN_ROOM"), ExitCode.FAILED, "nothing changed"),
        (api_error(409, "FC_FCID_NOT_IN_ROOM"), ExitCode.FAILED, "not in the room"),
        (api_error(400, "FC_BAD_JSON"), ExitCode.USAGE, "malformed"),
        (api_error(429, "FC_UNKNOWN"), ExitCode.SERVER, "rate limited"),
        (api_error(500, "FC_INTERNAL_ERROR"), ExitCode.SERVER, "try again later"),
        (api_error(502, None), ExitCode.SERVER, "HTTP 502 without a FinChat error body"),
        (
            APIConnectionError("ConnectError", maybe_processed=False),
            ExitCode.CONNECTION,
            f"cannot connect to {URL}",
        ),
        (
            APIConnectionError("RemoteProtocolError", maybe_processed=True),
            ExitCode.CONNECTION,
            f"the connection to {URL} broke",
        ),
        (
            APITimeoutError("ReadTimeout", maybe_processed=True),
            ExitCode.CONNECTION,
            "raise --timeout",
        ),
        (InvalidResponseError("not JSON"), ExitCode.SERVER, "a FinChat server"),
        (
            ResponseTooLargeError("too large", limit=16),
            ExitCode.SERVER,
            "a FinChat server",
        ),
        (
            DeadlineExceededError("the deadline of 60 s passed", maybe_processed=True),
            ExitCode.CONNECTION,
            "did not finish answering in time",
        ),
        (
            RedirectError("HTTP 307", location_origin="https://other.example", status_code=307),
            ExitCode.SERVER,
            "redirects to https://other.example, and redirects are never followed",
        ),
        (UploadSourceError("the upload source is empty"), ExitCode.USAGE, "empty"),
        (ValueError("invalid fcid 'x'"), ExitCode.USAGE, "invalid fcid"),
    ],
)
def test_each_expected_error_has_its_exit_code_and_a_hint(
    error: Exception, code: ExitCode, hint: str
) -> None:
    got_code, _, line = describe_error(error, SETTINGS)
    assert got_code == code
    assert hint in line
    assert "\n" not in line
    assert SECRET not in line


def test_an_api_error_line_starts_with_errcode_and_server_text() -> None:
    _, errcode, line = describe_error(api_error(401, "FC_INVALID_SECRET", "wrong\nsecret"), None)
    assert errcode == "FC_INVALID_SECRET"
    assert line.startswith("FC_INVALID_SECRET: wrong secret (HTTP 401); ")


def test_text_from_a_server_or_user_cannot_drive_the_terminal() -> None:
    assert printable("a\x1b[2Jb\nc\td") == "a [2Jb c d"
    assert cell("[bold]x[/bold]").plain == "[bold]x[/bold]"


def test_ctrl_c_exits_130_in_one_line_with_how_far_a_send_went() -> None:
    @click.command()
    @api_command
    def interrupted(cli: Cli) -> None:
        exc = KeyboardInterrupt()
        exc.add_note("SendReport(succeeded=2, failed=0, unknown=1, requests=3)")
        raise exc

    result = CliRunner().invoke(interrupted, ["--json"])
    assert result.exit_code == 130
    assert result.stderr == (
        "Error: interrupted; SendReport(succeeded=2, failed=0, unknown=1, requests=3)\n"
    )
    assert json.loads(result.stdout)["error"]["exit_code"] == 130


def test_a_local_file_error_is_one_line_exit_2() -> None:
    @click.command()
    @api_command
    def reads(cli: Cli) -> None:
        raise PermissionError(13, "Permission denied", "secret-plans.pdf")

    result = CliRunner().invoke(reads, [])
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot read secret-plans.pdf: Permission denied\n"
