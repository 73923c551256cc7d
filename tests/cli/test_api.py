"""Every API command against the sandbox over a real socket: output, JSON and exit codes."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image

from finchat_wrapper.sandbox import FaultPlan, Sandbox

from .conftest import Finchat

pytestmark = pytest.mark.network

ROOM = "!112321588723954859:example.org"  # the bot is a member
OTHER_ROOM = "!132221587624558592:example.org"
FOREIGN_ROOM = "!900000000000000001:example.org"  # the bot is not: FC_ROOM_NOT_FOUND
ALICE = "@alice:example.org"  # has a direct room with the bot
USER001 = "@user001:example.org"
STRANGER = "@stranger:example.org"  # no direct room with the bot
UNPUBLISHED = ("461cf042d9eedaa60d445f26dc747d5e", "c7b9e1d0-2a4f-4d83-8e6b-1f0a9c3d5e72")
WRONG_SECRET = "11111111-2222-4333-8444-555555555555"
ESCAPE = "\x1b"

FINCHAT = Path(sys.executable).with_name("finchat")


def delivered(sandbox: Sandbox, event_id: str) -> list[dict[str, Any]]:
    return [d.content for d in sandbox.delivery_log if d.event_id == event_id]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# ---- token -------------------------------------------------------------------------------------


def test_token_shows_its_expiry_but_not_the_token(finchat: Finchat) -> None:
    run = finchat("token")
    assert run.code == 0, run.all
    assert f"Token for app {finchat.sandbox.app_id} on {finchat.base_url}" in run.out
    assert re.search(
        r"expires in (2h 00m|1h 59m) \(at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)", run.out
    )
    assert not any(token in run.all for token in finchat.tokens())


def test_token_with_show_token_prints_the_issued_token_on_its_own_line(finchat: Finchat) -> None:
    run = finchat("token", "--show-token")
    assert run.code == 0, run.all
    assert run.out.strip().splitlines()[-1] in finchat.tokens()


def test_token_json_gives_expiry_and_the_token_only_when_asked(finchat: Finchat) -> None:
    data = finchat("token", "--json").json()
    assert data["ok"] is True
    assert data["app_id"] == finchat.sandbox.app_id
    assert 7190 <= data["expires_in"] <= 7200
    assert "token" not in data
    shown = finchat("token", "--json", "--show-token").json()
    assert shown["token"] in finchat.tokens()


def test_a_bad_secret_is_one_line_with_the_errcode_and_what_to_do_exit_3(finchat: Finchat) -> None:
    run = finchat("token", env={"FINCHAT_SECRET": WRONG_SECRET})
    assert run.code == 3
    assert run.out == ""
    line = one_line(run.err)
    assert line.startswith("Error: FC_INVALID_SECRET")
    assert "check the secret (from FINCHAT_SECRET)" in line
    assert WRONG_SECRET not in run.all
    assert "Traceback" not in run.all


def test_a_bad_secret_with_json_gives_a_parseable_error(finchat: Finchat) -> None:
    run = finchat("users", "get", ALICE, "--json", "--secret", WRONG_SECRET)
    assert run.code == 3
    error = run.json()
    assert error["ok"] is False
    assert error["error"]["errcode"] == "FC_INVALID_SECRET"
    assert error["error"]["exit_code"] == 3
    assert "(from --secret)" in error["error"]["message"]


def test_an_unpublished_app_is_told_to_publish_exit_3(finchat: Finchat) -> None:
    app_id, secret = UNPUBLISHED
    run = finchat("token", "--app-id", app_id, "--secret", secret)
    assert run.code == 3
    line = one_line(run.err)
    assert "FC_APP_NOT_PUBLISHED" in line
    assert "publish it" in line
    assert secret not in run.all


def test_an_unknown_app_id_is_a_credential_error_exit_3(finchat: Finchat) -> None:
    run = finchat("token", "--app-id", "000000000000000000000000")
    assert run.code == 3
    assert "FC_APP_NOT_FOUND" in one_line(run.err)
    assert "check --app-id and --base-url" in run.err


def test_connection_refused_names_the_url_and_exits_6(finchat: Finchat) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    run = finchat("apps", "friendships", "--base-url", url, "--retries", "0")
    assert run.code == 6
    line = one_line(run.err)
    assert f"cannot connect to {url}" in line
    assert "finchat sandbox" in line


def test_plain_http_to_a_remote_host_needs_insecure(finchat: Finchat) -> None:
    run = finchat("token", "--base-url", "http://finchat.example.org")
    assert run.code == 2
    assert "--insecure" in one_line(run.err)


def test_missing_credentials_say_where_to_put_them(finchat: Finchat) -> None:
    run = finchat("token", env={"FINCHAT_SECRET": None})
    assert run.code == 2
    line = one_line(run.err)
    assert "missing secret" in line
    assert "FINCHAT_SECRET" in line
    assert "config.toml" in line


def test_settings_come_from_the_config_file_when_flags_and_env_are_absent(
    finchat: Finchat, tmp_path: Path
) -> None:
    config = tmp_path / "finchat.toml"
    config.write_text(
        f'app_id = "{finchat.sandbox.app_id}"\nsecret = "{finchat.sandbox.secret}"\n'
        f'base_url = "{finchat.base_url}"\n'
    )
    config.chmod(0o600)
    env = {"FINCHAT_APP_ID": None, "FINCHAT_SECRET": None, "FINCHAT_BASE_URL": None}
    run = finchat("token", "--config", str(config), env=env)
    assert run.code == 0, run.all
    assert run.err == ""
    # The environment wins over the file: a wrong secret there is the one used.
    run = finchat("token", "--config", str(config), env={**env, "FINCHAT_SECRET": WRONG_SECRET})
    assert run.code == 3


# ---- send --------------------------------------------------------------------------------------


def test_send_reports_each_recipient_and_exits_1_when_one_failed(finchat: Finchat) -> None:
    run = finchat(
        "send", "--room", ROOM, "--room", FOREIGN_ROOM, "--user", ALICE, "--user", STRANGER,
        "--text", "release 1.2 is out",
    )  # fmt: skip
    assert run.code == 1
    rows = {line.split()[0]: line for line in run.out.splitlines() if line[:1] in "!@"}
    assert set(rows) == {ROOM, FOREIGN_ROOM, ALICE, STRANGER}
    assert " sent " in rows[ROOM]
    assert " sent " in rows[ALICE]
    assert "failed" in rows[FOREIGN_ROOM]
    assert "FC_ROOM_NOT_FOUND" in rows[FOREIGN_ROOM]
    assert "failed" in rows[STRANGER]
    assert "2 sent, 2 failed" in run.out
    assert run.out.count("FC_ROOM_NOT_FOUND: the room does not exist or the app's bot is not") == 1
    assert "2 of 4 recipients did not surely get the message" in one_line(run.err)
    event_id = rows[ROOM].split()[-1]
    assert delivered(finchat.sandbox, event_id) == [
        {"msgtype": "m.text", "body": "release 1.2 is out"}
    ]


def test_send_json_lists_every_recipient_and_exits_0_when_all_got_it(finchat: Finchat) -> None:
    run = finchat("send", "--room", ROOM, "--user", ALICE, "--text", "hi", "--json")
    assert run.code == 0, run.all
    report = run.json()
    assert report["ok"] is True
    assert (report["sent"], report["failed"], report["unknown"]) == (2, 0, 0)
    assert [(r["recipient"], r["kind"], r["status"]) for r in report["results"]] == [
        (ROOM, "room", "sent"),
        (ALICE, "user", "sent"),
    ]
    for result in report["results"]:
        assert delivered(finchat.sandbox, result["event_id"])


def test_send_json_with_a_failing_recipient_has_its_errcode_and_exit_1(finchat: Finchat) -> None:
    run = finchat("send", "--room", FOREIGN_ROOM, "--room", ROOM, "--text", "x", "--json")
    assert run.code == 1
    report = run.json()
    assert report["ok"] is False
    failed = [r for r in report["results"] if r["status"] == "failed"]
    assert failed == [
        {
            "recipient": FOREIGN_ROOM,
            "kind": "room",
            "status": "failed",
            "errcode": "FC_ROOM_NOT_FOUND",
            "error": failed[0]["error"],
        }
    ]
    assert run.err == ""


def test_a_connection_lost_after_sending_leaves_the_recipient_unknown_not_resent(
    finchat: Finchat,
) -> None:
    finchat.sandbox.set_faults(FaultPlan(drop_after_rate=1.0, operations={"send_message"}))
    try:
        before = len(finchat.sandbox.delivery_log)
        run = finchat("send", "--room", ROOM, "--text", "once")
    finally:
        finchat.sandbox.set_faults(None)
    assert run.code == 1
    (row,) = [line for line in run.out.splitlines() if line.startswith(ROOM)]
    assert "unknown" in row
    assert "may have been delivered" in row
    assert "1 unknown (check before resending)" in run.out
    # The server did deliver it, once: the CLI did not send it again.
    assert len(finchat.sandbox.delivery_log) == before + 1


def test_send_on_a_terminal_counts_the_recipients_done(
    finchat: Finchat,
) -> None:
    run = finchat(
        "send", "--room", ROOM, "--user", ALICE, "--text", "hi", env={"TTY_COMPATIBLE": "1"}
    )
    assert run.code == 0, run.all
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", run.err)
    assert re.search(r"sending .* 2/2 recipients", screen)
    assert "2 sent, 0 failed" in run.out


def test_send_reads_recipients_from_files_and_stdin(finchat: Finchat, tmp_path: Path) -> None:
    rooms = tmp_path / "rooms.txt"
    rooms.write_text(f"# on-call rooms\n{ROOM}\n\n{OTHER_ROOM}  # ops\n{ROOM}\n")
    run = finchat(
        "send", "--rooms-from", str(rooms), "--users-from", "-", "--text", "page", "--json",
        input=f"{ALICE}\n{USER001}\n",
    )  # fmt: skip
    assert run.code == 0, run.all
    report = run.json()
    # A recipient listed twice gets the message once.
    assert [r["recipient"] for r in report["results"]] == [ROOM, OTHER_ROOM, ALICE, USER001]


def test_a_bad_id_in_a_recipient_file_names_the_line_and_sends_nothing(
    finchat: Finchat, tmp_path: Path
) -> None:
    users = tmp_path / "users.txt"
    users.write_text(f"{ALICE}\nbob\n")
    before = len(finchat.sandbox.delivery_log)
    run = finchat("send", "--users-from", str(users), "--text", "x")
    assert run.code == 2
    assert f"{users} line 2: invalid fcid 'bob'" in one_line(run.err)
    assert len(finchat.sandbox.delivery_log) == before


def test_send_image_uploads_the_file_and_sends_it_with_its_size(
    finchat: Finchat, tmp_path: Path
) -> None:
    image = tmp_path / "chart.png"
    Image.new("RGB", (32, 20), "red").save(image)
    run = finchat("send", "--user", ALICE, "--image", str(image), "--json")
    assert run.code == 0, run.all
    (result,) = run.json()["results"]
    (content,) = delivered(finchat.sandbox, result["event_id"])
    assert content["msgtype"] == "m.image"
    assert content["body"] == "chart.png"
    assert content["info"] == {
        "mimetype": "image/png",
        "size": image.stat().st_size,
        "w": 32,
        "h": 20,
    }
    assert finchat.sandbox.media(content["o_url"]) == (image.read_bytes(), "image/png")


def test_send_file_takes_an_uploaded_uri_as_is(finchat: Finchat) -> None:
    uri = finchat("upload", "-", "--name", "notes.txt", input=b"notes").out.strip()
    run = finchat("send", "--room", ROOM, "--file", uri, "--body", "notes.txt", "--json")
    assert run.code == 0, run.all
    (result,) = run.json()["results"]
    assert delivered(finchat.sandbox, result["event_id"]) == [
        {"msgtype": "m.file", "body": "notes.txt", "o_url": uri}
    ]


def test_send_text_card(finchat: Finchat) -> None:
    run = finchat(
        "send", "--room", ROOM, "--title", "Build 1234", "--description", "green",
        "--url", "https://ci.example.org/1234", "--btntext", "Open", "--json",
    )  # fmt: skip
    assert run.code == 0, run.all
    (result,) = run.json()["results"]
    (content,) = delivered(finchat.sandbox, result["event_id"])
    assert content["msgtype"] == "m.textcard"
    assert content["info"] == {
        "title": "Build 1234",
        "description": "green",
        "url": "https://ci.example.org/1234",
        "btntext": "Open",
    }


def test_a_text_card_without_its_url_is_refused_before_sending(finchat: Finchat) -> None:
    run = finchat("send", "--room", ROOM, "--title", "T", "--description", "D")
    assert run.code == 2
    assert "a text card needs --url too" in one_line(run.err)


CARD_FORM = {
    "elements": [
        {"type": "context", "subtype": "text", "value": "Apply for a POC"},
        {"type": "input", "subtype": "text-input", "key": "company", "placeholder": "Company"},
        {"type": "button", "subtype": "submit", "value": "Send", "action": "submit"},
    ]
}


def test_send_a_cui_card_from_a_yaml_form(finchat: Finchat, tmp_path: Path) -> None:
    card = tmp_path / "poc.yaml"
    card.write_text(yaml.safe_dump(CARD_FORM))
    run = finchat("send", "--room", ROOM, "--card", str(card), "--json")
    assert run.code == 0, run.all
    (result,) = run.json()["results"]
    (content,) = delivered(finchat.sandbox, result["event_id"])
    assert content["msgtype"] == "m.cui"
    assert content["body"] == "[交互卡片]"
    assert content["info"]["elements"] == CARD_FORM["elements"]
    assert content["info"]["status"] == "input"


def test_send_a_cui_card_from_a_whole_json_content(finchat: Finchat, tmp_path: Path) -> None:
    whole = {
        "msgtype": "m.cui",
        "body": "A card",
        "version": "0.1.0",
        "info": {"type": "form", "shared": False, **CARD_FORM},
    }
    card = tmp_path / "poc.json"
    card.write_text(json.dumps(whole))
    run = finchat("send", "--user", ALICE, "--card", str(card), "--json")
    assert run.code == 0, run.all
    (result,) = run.json()["results"]
    (content,) = delivered(finchat.sandbox, result["event_id"])
    assert content["body"] == "A card"
    assert content["info"]["shared"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("elements: [", "is not valid JSON/YAML"),
        ("- a list", "a card is a mapping"),
        ("msgtype: m.text\nbody: hi", "msgtype is 'm.text', a card is m.cui"),
        (
            "elements:\n  - {type: context, subtype: text, value: ok}\n"
            "  - {type: context, subtype: bogus, value: x}",
            "element 2 is not a CUI element of the spec",
        ),
        (
            "elements:\n  - {type: input, subtype: text-input, key: a}\n"
            "  - {type: input, subtype: text-input, key: a}",
            "key 'a' is already used",
        ),
    ],
)
def test_a_bad_card_file_is_refused_with_the_reason_exit_2(
    finchat: Finchat, tmp_path: Path, text: str, message: str
) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(text)
    run = finchat("send", "--room", ROOM, "--card", str(card))
    assert run.code == 2
    assert message in one_line(run.err)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "x"], "no recipient"),
        (["--room", ROOM], "no message"),
        (["--room", ROOM, "--text", "x", "--file", "mxc://a/b"], "not --text, --file"),
        (["--room", "general", "--text", "x"], "invalid room id 'general'"),
        (["--room", ROOM, "--image", "missing.png"], "no such file"),
        (["--users-from", "-", "--text", "-"], "only one of --users-from, --text can read stdin"),
    ],
)
def test_bad_send_arguments_are_one_line_and_exit_2(
    finchat: Finchat, args: list[str], message: str
) -> None:
    run = finchat("send", *args)
    assert run.code == 2
    assert message in one_line(run.err)


def test_send_with_a_bad_secret_fails_before_any_message_exit_3(finchat: Finchat) -> None:
    before = len(finchat.sandbox.delivery_log)
    run = finchat("send", "--room", ROOM, "--text", "x", "--secret", WRONG_SECRET)
    assert run.code == 3
    assert "FC_INVALID_SECRET" in one_line(run.err)
    assert len(finchat.sandbox.delivery_log) == before


# ---- upload ------------------------------------------------------------------------------------


def test_a_piped_upload_prints_only_the_uri_and_no_terminal_codes(
    finchat: Finchat, tmp_path: Path
) -> None:
    data = os.urandom(600_000)
    path = tmp_path / "dump.bin"
    path.write_bytes(data)
    run = finchat("upload", str(path))
    assert run.code == 0, run.all
    uri = run.out.strip()
    assert run.out == uri + "\n"
    assert re.fullmatch(r"mxc://example\.org/\S+", uri)
    assert finchat.sandbox.media(uri) == (data, "application/octet-stream")
    assert ESCAPE not in run.all
    assert one_line(run.err).startswith(
        "uploaded dump.bin (600,000 bytes, application/octet-stream)"
    )


def test_upload_on_a_terminal_shows_a_progress_bar_with_bytes_rate_and_time_left(
    finchat: Finchat, tmp_path: Path
) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(1_200_000))
    # TTY_COMPATIBLE=1 tells rich that stderr is a terminal.
    run = finchat("upload", str(path), env={"TTY_COMPATIBLE": "1"})
    assert run.code == 0, run.all
    assert run.out.startswith("mxc://")
    assert ESCAPE in run.err  # drawn and redrawn in place
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", run.err)
    assert "big.bin" in screen
    assert "1.2/1.2 MB" in screen  # bytes sent of total
    assert re.search(r"\d+(\.\d+)? [kMG]?B/s", screen)  # rate
    assert "0:00:00" in screen  # time left


def test_upload_json_describes_the_stored_file(finchat: Finchat, tmp_path: Path) -> None:
    image = tmp_path / "logo"
    Image.new("RGB", (4, 4)).save(image, format="PNG")
    data = finchat("upload", str(image), "--json").json()
    assert data == {
        "ok": True,
        "content_uri": data["content_uri"],
        "filename": "logo",
        "content_type": "image/png",  # sniffed: the name says nothing
        "size": image.stat().st_size,
    }
    assert finchat.sandbox.media(data["content_uri"])[0] == image.read_bytes()


def test_upload_reads_stdin_with_dash(finchat: Finchat) -> None:
    run = finchat("upload", "-", "--name", "hello.txt", input=b"hello")
    assert run.code == 0, run.all
    assert finchat.sandbox.media(run.out.strip()) == (b"hello", "text/plain")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.bin"], "no such file"),
        (["-"], "empty"),
        (["-", "--content-type", "text\nplain"], "not a media type"),
    ],
)
def test_bad_upload_input_is_one_line_exit_2(
    finchat: Finchat, args: list[str], message: str
) -> None:
    run = finchat("upload", *args, input=b"" if args[0] == "-" and len(args) == 1 else b"x")
    assert run.code == 2
    assert message in one_line(run.err)


def test_upload_piped_from_a_real_process_prints_the_uri(finchat: Finchat, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(50_000))
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update({k: v for k, v in finchat.env().items() if v is not None})
    proc = subprocess.run(
        [str(FINCHAT), "upload", str(path)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    uri = proc.stdout.decode().strip()
    assert proc.stdout == f"{uri}\n".encode()
    assert finchat.sandbox.media(uri) == (path.read_bytes(), "application/pdf")
    assert b"\x1b" not in proc.stdout + proc.stderr


# ---- reads -------------------------------------------------------------------------------------


def test_users_get_shows_the_profile(finchat: Finchat) -> None:
    run = finchat("users", "get", "@linian002:dev.finogeeks.club")
    assert run.code == 0, run.all
    fields = dict(line.split(" │ ") for line in run.out.splitlines())
    assert {k.strip(): v.strip() for k, v in fields.items()}["position"] == "研发总监"
    data = finchat("users", "get", "@linian002:dev.finogeeks.club", "--json").json()
    assert data["user"]["email"] == "222@qq.com"
    assert data["user"]["departments"] == ["d7646430-53b8-11ea-8719-19c1a365f2ff"]
    assert "groups" not in data["user"]


def test_an_unknown_user_exits_4(finchat: Finchat) -> None:
    run = finchat("users", "get", STRANGER)
    assert run.code == 4
    assert "FC_FCID_NOT_FOUND" in one_line(run.err)
    assert "no such user: check the fcid" in one_line(run.err)


def test_an_invalid_fcid_exits_2_without_a_request(finchat: Finchat) -> None:
    run = finchat("users", "friendships", "alice", "--json")
    assert run.code == 2
    assert run.json()["error"]["message"].startswith("invalid fcid 'alice'")


def test_users_friendships_lists_friends_with_their_rooms(finchat: Finchat) -> None:
    run = finchat("users", "friendships", "@test001:dev.finogeeks.club")
    assert run.code == 0, run.all
    assert re.search(r"@linian002:dev\.finogeeks\.club +│ !230427174354550784", run.out)
    assert "2 friend(s)" in run.out
    data = finchat("users", "friendships", "@test001:dev.finogeeks.club", "--json").json()
    assert {f["to_fcid"]: f["is_bot"] for f in data["friendships"]} == {
        "@vsadf-bot:dev.finogeeks.club": True,
        "@linian002:dev.finogeeks.club": False,
    }


def test_contacts_by_authority_prints_one_fcid_per_line(finchat: Finchat) -> None:
    run = finchat("contacts", "by-authority", "admin")
    assert run.code == 0, run.all
    assert run.out.splitlines() == ["@test001:dev.finogeeks.club", "@test002:dev.finogeeks.club"]
    assert finchat("contacts", "by-authority", "approver", "--json").json() == {
        "ok": True,
        "authority": "approver",
        "fcids": ["@test001:dev.finogeeks.club"],
    }
    nobody = finchat("contacts", "by-authority", "ceo")
    assert (nobody.code, nobody.out) == (0, "")
    assert "nobody holds the authority 'ceo'" in nobody.err


def test_apps_friendships_lists_the_bots_direct_rooms(finchat: Finchat) -> None:
    run = finchat("apps", "friendships")
    assert run.code == 0, run.all
    assert re.search(r"@alice:example\.org +│ !jEsUZKDJdhlrceRyVU:example\.org", run.out)
    data = finchat("apps", "friendships", "--json").json()
    assert {"to_fcid": ALICE, "room_id": "!jEsUZKDJdhlrceRyVU:example.org"} in data["friendships"]


# ---- secrets -----------------------------------------------------------------------------------


def test_no_command_prints_the_secret_or_a_token(finchat: Finchat, tmp_path: Path) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(yaml.safe_dump(CARD_FORM))
    image = tmp_path / "i.png"
    Image.new("RGB", (2, 2)).save(image)
    dead = f"http://127.0.0.1:{free_port()}"
    secret = finchat.sandbox.secret
    invocations: list[list[str]] = [
        ["token"],
        ["token", "--json"],
        ["send", "--room", ROOM, "--room", FOREIGN_ROOM, "--user", STRANGER, "--text", "t"],
        ["send", "--room", ROOM, "--text", "t", "--json"],
        ["send", "--user", ALICE, "--image", str(image)],
        ["send", "--user", ALICE, "--card", str(card), "--json"],
        ["send", "--room", ROOM, "--title", "t", "--description", "d", "--url", "https://e.org"],
        ["upload", str(image)],
        ["upload", str(image), "--json"],
        ["users", "get", ALICE],
        ["users", "get", STRANGER, "--json"],
        ["users", "friendships", ALICE],
        ["contacts", "by-authority", "admin", "--json"],
        ["apps", "friendships"],
        ["apps", "friendships", "--secret", secret],
        ["apps", "visibility", "--json"],
        ["rooms", "list"],
        ["rooms", "create", "--user", ALICE, "--json"],
        ["rooms", "get", ROOM],
        ["rooms", "update", ROOM, "--topic", "t", "--json"],
        ["contacts", "department", "55c22c00-09e9-11ea-ab7d-a15ba0c1027b", "--json"],
        ["contacts", "organizations", "3", "--user", ALICE],
        ["webhook", "send", "5df29mec9ccfd002ccd28076", "--text", "t"],
        ["webhook", "send", "nope", "--text", "t", "--json"],
        ["token", "--secret", WRONG_SECRET],
        ["token", "--secret", WRONG_SECRET, "--json"],
        ["token", "--base-url", dead, "--retries", "0", "--json"],
        ["token", "--base-url", "http://finchat.example.org"],
        ["token", "--app-id", UNPUBLISHED[0], "--secret", UNPUBLISHED[1]],
    ]
    outputs = [(args, finchat(*args).all) for args in invocations]
    for group in ("users", "contacts", "apps", "rooms", "webhook"):
        outputs.append(([group, "--help"], finchat(group, "--help").all))
    tokens = finchat.tokens()
    assert tokens, "the commands fetched tokens"
    for args, output in outputs:
        assert output, args
        for value in (secret, WRONG_SECRET, UNPUBLISHED[1], *tokens):
            assert value not in output, (args, output)


@pytest.mark.slow
def test_contract_against_a_server_prints_neither_the_secret_nor_a_token(
    finchat: Finchat, tmp_path: Path
) -> None:
    # The other command that takes the app's credentials; its reports are output too.
    reports = tmp_path / "reports"
    args = ["contract", "--base-url", finchat.base_url, "--app-id", finchat.sandbox.app_id]
    run = finchat(
        *args, "--max-examples", "1", "--phases", "examples", "--report-dir", str(reports)
    )
    assert run.code == 0, run.all
    written = [path.read_text() for path in reports.iterdir()]
    assert len(written) == 2
    for output in (run.all, *written):
        for value in (finchat.sandbox.secret, *finchat.tokens()):
            assert value not in output
