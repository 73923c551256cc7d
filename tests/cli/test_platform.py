"""`finchat rooms`, `contacts organizations|organization|department`, `apps visibility` and
`webhook send` against a sandbox on a real socket: output, pipes, `--json`, errors, exit codes."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import Finchat

ALICE, TEST = "@alice:example.org", "@test:example.org"
FOREIGN = "@linian002:dev.finogeeks.club"
DEPARTMENT = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"
WEBHOOK = "5df29mec9ccfd002ccd28076"
DOC_ROOM = "!112321588723954859:example.org"


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def created_room(finchat: Finchat, *args: str, input: str | None = None) -> str:
    run = finchat("rooms", "create", *args, input=input)
    assert run.code == 0, run.all
    return one_line(run.out)


def test_rooms_create_prints_the_new_room_id_alone_for_pipes(finchat: Finchat) -> None:
    room_id = created_room(finchat, "--name", "周会", "--user", ALICE, "--topic", "议程")
    assert re.fullmatch(r"![^:]+:example\.org", room_id)
    room = finchat.sandbox.state.rooms[room_id]
    assert (room.name, room.topic, room.members[1:]) == ("周会", "议程", [ALICE])
    assert room_id in finchat("rooms", "list").out.splitlines()
    data = finchat("rooms", "create", "--federate", "--owner", FOREIGN, "--json").json()
    assert data["ok"] is True
    assert finchat.sandbox.state.rooms[data["room_id"]].owner == FOREIGN


def test_rooms_create_reads_its_members_from_stdin(finchat: Finchat) -> None:
    room_id = created_room(finchat, "--users-from", "-", input=f"{ALICE}\n# on call\n{TEST}\n")
    assert finchat.sandbox.state.rooms[room_id].members[1:] == [ALICE, TEST]


def test_rooms_get_shows_the_room_and_json_gives_its_fields(finchat: Finchat) -> None:
    run = finchat("rooms", "get", DOC_ROOM)
    assert run.code == 0, run.all
    fields = {k.strip(): v.strip() for k, v in (line.split(" │ ") for line in run.out.splitlines())}
    assert (fields["name"], fields["type"]) == ("room001", "multi_chat")
    data = finchat("rooms", "get", DOC_ROOM, "--json").json()
    assert data["room"]["owner"] == "@vsadf-bot:dev.finogeeks.club"
    assert data["room_id"] == DOC_ROOM


def test_rooms_update_makes_one_change_and_says_so(finchat: Finchat) -> None:
    room_id = created_room(finchat)
    run = finchat("rooms", "update", room_id, "--name", "新名字")
    assert run.code == 0, run.all
    assert one_line(run.out) == f"{room_id}: name changed"
    assert finchat("rooms", "update", room_id, "--owner-only-invites", "--json").json() == {
        "ok": True,
        "room_id": room_id,
    }
    room = finchat.sandbox.state.rooms[room_id]
    assert (room.name, room.invite_forbidden_except_owner) == ("新名字", True)
    assert finchat("rooms", "update", room_id, "--history", "joined").code == 0
    assert room.history_visibility == "joined"


def test_two_changes_in_one_update_are_refused_naming_the_options_exit_2(
    finchat: Finchat,
) -> None:
    room_id = created_room(finchat)
    run = finchat("rooms", "update", room_id, "--topic", "t", "--invite", ALICE)
    assert run.code == 2
    assert "one change per call, not --topic and --invite" in one_line(run.err)
    nothing = finchat("rooms", "update", room_id, "--json")
    assert nothing.code == 2
    assert nothing.json()["error"]["message"].startswith("nothing to change")
    assert finchat.sandbox.state.rooms[room_id].topic is None


def test_members_that_could_not_be_changed_are_named_and_exit_1(finchat: Finchat) -> None:
    room_id = created_room(finchat, "--user", ALICE)
    run = finchat("rooms", "update", room_id, "--invite", TEST, "--invite", ALICE, "--kick", ALICE)
    assert run.code == 2  # invited and kicked at once: refused before sending
    run = finchat("rooms", "update", room_id, "--invite", TEST, "--invite", ALICE)
    assert run.code == 1
    assert one_line(run.err) == f"could not invite {ALICE}"
    assert one_line(run.out) == "1 of 2 member change(s) made"
    data = finchat("rooms", "update", room_id, "--kick", TEST, "--kick", FOREIGN, "--json")
    assert (data.code, data.json()) == (
        1,
        {"ok": False, "room_id": room_id, "failed_fcids_to_kick": [FOREIGN]},
    )


def test_a_change_refused_for_every_member_is_one_line_with_its_errcode(
    finchat: Finchat,
) -> None:
    room_id = created_room(finchat, "--user", ALICE)
    already = finchat("rooms", "update", room_id, "--invite", ALICE)
    assert already.code == 1
    assert one_line(already.err).startswith("Error: FC_FCID_ALREADY_IN_ROOM:")
    foreign = finchat("rooms", "update", room_id, "--invite", FOREIGN, "--json")
    assert foreign.code == 2
    error = foreign.json()["error"]
    assert error["errcode"] == "FC_ROOM_IS_NOT_FEDERATE"
    assert "--federate" in error["message"]
    missing = finchat("rooms", "get", "!nowhere:example.org")
    assert missing.code == 4
    assert "FC_ROOM_NOT_FOUND" in one_line(missing.err)
    finchat("rooms", "update", room_id, "--owner", ALICE)
    forbidden = finchat("rooms", "update", room_id, "--kick", ALICE)
    assert forbidden.code == 3
    assert "only the room's owner" in one_line(forbidden.err)
    bad = finchat("rooms", "get", "not-a-room")
    assert (bad.code, "invalid room id" in bad.err) == (2, True)


def test_rooms_list_prints_one_room_per_line(finchat: Finchat) -> None:
    run = finchat("rooms", "list")
    assert run.code == 0, run.all
    assert run.out.splitlines()[:2] == [DOC_ROOM, "!132221587624558592:example.org"]
    assert finchat("rooms", "list", "--json").json()["room_ids"][:1] == [DOC_ROOM]


def test_contacts_organizations_list_the_organizations_of_a_type(finchat: Finchat) -> None:
    run = finchat("contacts", "organizations", "3", "--user", ALICE)
    assert run.code == 0, run.all
    assert re.search(r"00f3 +│ 74564564 +│ 3 +│ 00f0", run.out)
    assert "1 organization(s) of type 3" in run.out
    data = finchat("contacts", "organizations", "1", "--user", ALICE, "--json").json()
    assert [o["organization_id"] for o in data["organizations"]] == [
        "0a072670-ca61-11e9-af7f-877a0c9dfbd0",
        "00f0",
    ]
    unknown = finchat("contacts", "organizations", "1", "--user", "@ghost:example.org")
    assert unknown.code == 4
    assert "no such user" in one_line(unknown.err)
    assert finchat("contacts", "organizations", "x", "--user", ALICE).code == 2


def test_contacts_organization_and_department_show_their_records(finchat: Finchat) -> None:
    organization = finchat("contacts", "organization", "00f3", "--json").json()
    assert organization["organization"]["dispatch_supervision_organizations"] == ["00f0"]
    run = finchat("contacts", "department", DEPARTMENT)
    assert run.code == 0, run.all
    assert re.search(r"department_name +│ 九九九", run.out)
    missing = finchat("contacts", "department", "ffff")
    assert missing.code == 4
    assert "no such webhook, organization or department" in one_line(missing.err)


def test_department_members_pipe_into_a_send(finchat: Finchat) -> None:
    members = finchat("contacts", "department", DEPARTMENT, "--with-sub-departments", "--members")
    assert members.code == 0, members.all
    assert FOREIGN in members.out.splitlines()
    assert len(members.out.splitlines()) == 8
    own = finchat("contacts", "department", DEPARTMENT, "--members").out.splitlines()
    assert FOREIGN not in own
    data = finchat("contacts", "department", DEPARTMENT, "--json").json()
    assert data["department"]["fcids"] == own


def test_apps_visibility_names_who_can_see_the_app(finchat: Finchat) -> None:
    run = finchat("apps", "visibility")
    assert run.code == 0, run.all
    assert re.search(rf"department +│ {DEPARTMENT}", run.out)
    assert re.search(r"user +│ @rcstest1:dev\.finogeeks\.club", run.out)
    assert finchat("apps", "visibility", "--json").json()["visibility"]["unlimited"] is False


def test_webhook_send_prints_the_event_id_of_the_message_in_the_webhooks_room(
    finchat: Finchat,
) -> None:
    run = finchat("webhook", "send", WEBHOOK, "--text", "磁盘告警")
    assert run.code == 0, run.all
    message = finchat.sandbox.sent(DOC_ROOM)[-1]
    assert one_line(run.out) == message.event_id
    assert message.content == {"msgtype": "m.text", "body": "磁盘告警"}
    piped = finchat("webhook", "send", WEBHOOK, "--text", "-", "--json", input="from a pipe\n")
    assert piped.json()["event_id"] == finchat.sandbox.sent(DOC_ROOM)[-1].event_id
    card = finchat(
        "webhook", "send", WEBHOOK, "--title", "t", "--description", "d", "--url", "https://x.org"
    )
    assert card.code == 0, card.all
    assert finchat.sandbox.sent(DOC_ROOM)[-1].content["msgtype"] == "m.textcard"


def test_webhook_send_uploads_a_local_file_first(finchat: Finchat, tmp_path: object) -> None:
    from pathlib import Path

    report = Path(str(tmp_path)) / "report.txt"
    report.write_text("disk usage")
    run = finchat("webhook", "send", WEBHOOK, "--file", str(report), "--json")
    assert run.code == 0, run.all
    content = finchat.sandbox.sent(DOC_ROOM)[-1].content
    assert content["msgtype"] == "m.file"
    assert content["body"] == "report.txt"
    assert finchat.sandbox.media(content["o_url"])[0] == b"disk usage"


def test_webhook_send_errors_are_one_line_with_their_exit_code(finchat: Finchat) -> None:
    unknown = finchat("webhook", "send", "no-such-hook", "--text", "x")
    assert unknown.code == 4
    assert "FC_NOT_FOUND" in one_line(unknown.err)
    nothing = finchat("webhook", "send", WEBHOOK)
    assert nothing.code == 2
    assert "no message" in one_line(nothing.err)
    spaced = finchat("webhook", "send", "a b", "--text", "x", "--json")
    assert spaced.code == 2
    assert spaced.json()["error"]["message"].startswith("invalid webhook_id")


def test_the_new_commands_start_without_the_generated_client_or_the_sandbox() -> None:
    code = (
        "import sys\n"
        "import finchat_wrapper._cli.rooms, finchat_wrapper._cli.contacts\n"
        "print(sorted({m.split('.')[0] + '.' + m.split('.')[1] for m in sys.modules"
        " if m.startswith(('finchat_openapi.', 'finchat_wrapper.sandbox'))}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
