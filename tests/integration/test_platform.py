"""The areas of revision 2 (rooms, webhooks, the directory, app visibility, send-as-user's topic)
against the sandbox, in-process and over a real uvicorn socket, sync and async."""

from __future__ import annotations

import pytest
from finchat_openapi.models import Department

from finchat_wrapper import (
    FcidAlreadyInRoomError,
    FcidNotFoundError,
    FcidNotInRoomError,
    ForbiddenError,
    ResourceNotFoundError,
    RoomNotFederatedError,
    RoomNotFoundError,
    text_content,
)
from finchat_wrapper.sandbox._world import (
    BOT,
    DOC_DEPARTMENT_ID,
    DOC_ROOM,
    DOC_WEBHOOK_ID,
    OTHER_APP_ID,
    OTHER_SECRET,
    WEBHOOK_BOT,
)

from .conftest import Target

ALICE, TEST, USER001 = "@alice:example.org", "@test:example.org", "@user001:example.org"
# Of another server than the sandbox's (example.org).
FOREIGN = "@linian002:dev.finogeeks.club"
TEXT = text_content("hello")


def test_a_room_is_created_read_listed_changed_and_messaged(target: Target) -> None:
    sandbox = target.sandbox
    with target.client() as client:
        room_id = client.rooms.create(name="周会", topic="议程", fcids=[ALICE]).room_id
        assert room_id in client.rooms.list()
        detail = client.rooms.get(room_id)
        assert (detail.name, detail.topic, detail.owner) == ("周会", "议程", BOT)
        assert detail.type_ == "multi_chat"
        assert detail.federate is False
        assert detail.fcids == [BOT, ALICE]

        client.rooms.update(room_id, name="周会（新）")
        client.rooms.update(room_id, history_visibility="joined")
        answer = client.rooms.update(room_id, fcids_to_invite=[TEST, ALICE, "@ghost:example.org"])
        assert answer.failed_fcids_to_invite == [ALICE, "@ghost:example.org"]
        client.rooms.update(room_id, fcids_to_kick=[ALICE])
        assert client.rooms.get(room_id).fcids == [BOT, TEST]
        assert sandbox.state.rooms[room_id].history_visibility == "joined"

        sent = client.messages.send(TEXT, room_ids=[room_id])
        assert sent.ok
        (message,) = sandbox.sent(room_id)
        assert (message.sender, message.event_id) == (BOT, sent.succeeded[room_id])


def test_a_change_that_contradicts_the_room_raises_its_errcode(target: Target) -> None:
    with target.client() as client:
        room_id = client.rooms.create(fcids=[ALICE]).room_id
        with pytest.raises(FcidAlreadyInRoomError, match=ALICE):
            client.rooms.update(room_id, fcids_to_invite=[ALICE])
        with pytest.raises(FcidNotInRoomError):
            client.rooms.update(room_id, fcids_to_kick=[TEST])
        with pytest.raises(FcidNotFoundError):
            client.rooms.update(room_id, fcids_to_invite=["@ghost:example.org"])
        with pytest.raises(RoomNotFederatedError):
            client.rooms.update(room_id, fcids_to_invite=[FOREIGN])
        with pytest.raises(FcidNotInRoomError):
            client.rooms.update(room_id, owner=TEST)
        with pytest.raises(RoomNotFederatedError):
            client.rooms.create(owner=FOREIGN)
        with pytest.raises(FcidNotFoundError):
            client.rooms.create(fcids=["@ghost:example.org"])
        with pytest.raises(RoomNotFoundError):
            client.rooms.get("!900000000000000001:example.org")  # the bot is not in it
    assert target.sandbox.state.rooms[room_id].members == [
        target.sandbox.state.apps[target.sandbox.app_id].bot,
        ALICE,
    ]


def test_a_federated_room_takes_users_of_other_servers(target: Target) -> None:
    with target.client() as client:
        room_id = client.rooms.create(federate=True, owner=FOREIGN).room_id
        assert client.rooms.get(room_id).owner == FOREIGN
        client.rooms.update(room_id, fcids_to_invite=["@test001:example.com"])
        assert client.rooms.get(room_id).fcids == [BOT, FOREIGN, "@test001:example.com"]


def test_only_the_owner_may_send_once_the_room_says_so(target: Target) -> None:
    with target.client() as client:
        room_id = client.rooms.create(fcids=[ALICE]).room_id
        client.rooms.update(room_id, message_forbidden_except_owner=True)
        assert client.messages.send(TEXT, room_ids=[room_id]).ok  # the bot owns it
        client.rooms.update(room_id, owner=ALICE)
        refused = client.messages.send(TEXT, room_ids=[room_id])
        assert refused.failed[room_id].errcode == "FC_FORBIDDEN"
        # No longer the owner: the bot may not change the flags, the owner, or kick.
        with pytest.raises(ForbiddenError):
            client.rooms.update(room_id, message_forbidden_except_owner=False)
        with pytest.raises(ForbiddenError):
            client.rooms.update(room_id, owner=BOT)
        with pytest.raises(ForbiddenError):
            client.rooms.update(room_id, fcids_to_kick=[ALICE])
        client.rooms.update(room_id, topic="still a member")  # anyone in it may


async def test_the_async_client_does_the_same_room_flow(target: Target) -> None:
    async with target.async_client() as client:
        room_id = (await client.rooms.create(name="a", fcids=[ALICE])).room_id
        assert room_id in await client.rooms.list()
        await client.rooms.update(room_id, fcids_to_invite=[TEST])
        await client.rooms.update(room_id, invite_forbidden_except_owner=True)
        assert (await client.rooms.get(room_id)).fcids == [BOT, ALICE, TEST]
        assert (await client.messages.send(TEXT, room_ids=[room_id])).ok
        with pytest.raises(FcidAlreadyInRoomError):
            await client.rooms.update(room_id, fcids_to_invite=[TEST])
    assert target.sandbox.state.rooms[room_id].invite_forbidden_except_owner


def test_the_directory_answers_the_documents_examples(target: Target) -> None:
    with target.client() as client:
        (organization,) = client.contacts.organizations(3, fcid=ALICE)
        assert (organization.organization_id, organization.dispatch_supervision_organizations) == (
            "00f3",
            ["00f0"],
        )
        assert client.contacts.organization("00f0").organization_name == "派出机构"
        department = client.contacts.department(DOC_DEPARTMENT_ID)
        assert isinstance(department, Department)
        assert department.parent_department == "0a072670-ca61-11e9-af7f-877a0c9dfbd0"
        assert len(department.sub_departments) == 4
        assert department.fcids == [
            "@tai01:dev.finogeeks.club",
            "@qqq1110:dev.finogeeks.club",
            "@test0007:dev.finogeeks.club",
            "@test001:dev.finogeeks.club",
            "@test005:dev.finogeeks.club",
            "@czr02:dev.finogeeks.club",
        ]
        everyone = client.contacts.department(DOC_DEPARTMENT_ID, include_sub_departments=True)
        # linian002 is two levels below, rcstest1 one.
        assert set(everyone.fcids) == {*department.fcids, FOREIGN, "@rcstest1:dev.finogeeks.club"}
        user = client.users.get(FOREIGN)
        assert user.departments == ["d7646430-53b8-11ea-8719-19c1a365f2ff"]
        assert client.contacts.organization(user.organization_id).organization_id == "00001"
        visibility = client.apps.visibility()
        assert (visibility.unlimited, visibility.departments, visibility.fcids) == (
            False,
            [DOC_DEPARTMENT_ID],
            ["@rcstest1:dev.finogeeks.club"],
        )
        with pytest.raises(ResourceNotFoundError):
            client.contacts.organization("ffff")
        with pytest.raises(ResourceNotFoundError):
            client.contacts.department("ffff")
        with pytest.raises(FcidNotFoundError):
            client.contacts.organizations(3, fcid="@ghost:example.org")


async def test_the_async_directory_reads(target: Target) -> None:
    async with target.async_client() as client:
        assert [o.organization_id for o in await client.contacts.organizations(1, fcid=ALICE)] == [
            "0a072670-ca61-11e9-af7f-877a0c9dfbd0",
            "00f0",
        ]
        assert (await client.contacts.organization("00f3")).organization_type == 3
        assert (await client.contacts.department("d7646430-53b8-11ea-8719-19c1a365f2ff")).fcids == [
            FOREIGN
        ]
        assert (await client.apps.visibility()).unlimited is False


def test_webhook_messages_of_every_type_appear_in_the_webhooks_room(target: Target) -> None:
    sandbox = target.sandbox
    contents = [
        text_content("磁盘告警"),
        {"msgtype": "m.textcard", "body": "", "info": {"title": "告警", "url": "https://x.org"}},
        {"msgtype": "m.cui", "body": "[卡片]", "info": {}, "version": "0.1.0"},
    ]
    with target.client() as client:
        for content in contents:
            event_id = client.webhooks.send(DOC_WEBHOOK_ID, content).event_id
            message = sandbox.sent(DOC_ROOM)[-1]
            assert (message.event_id, message.sender) == (event_id, WEBHOOK_BOT)
        with pytest.raises(ResourceNotFoundError):
            client.webhooks.send("no-such-webhook", TEXT)
        with pytest.raises(ResourceNotFoundError):
            client.webhooks.send("7ab30nfd0ddge113dde39187", TEXT)  # the other app's
    assert [d.operation for d in sandbox.delivery_log] == ["send_webhook_message"] * 3


async def test_the_async_webhook_send(target: Target) -> None:
    async with target.async_client() as client:
        answer = await client.webhooks.send(DOC_WEBHOOK_ID, TEXT)
    assert target.sandbox.sent(DOC_ROOM)[-1].event_id == answer.event_id


def test_a_send_as_user_goes_to_the_privilege_api_and_sets_the_topic(target: Target) -> None:
    sandbox = target.sandbox
    with target.client() as client:
        report = client.messages.send_as_user(USER001, TEXT, topic="周报", fcids=[ALICE])
        assert report.ok
    assert sandbox.stats.operations["send_message_as_user"] == 1
    room = sandbox.state.direct_room(USER001, ALICE)
    assert room is not None
    assert room.topic == "周报"
    assert sandbox.sent(room.room_id)[-1].sender == USER001


async def test_an_app_without_the_privilege_api_sees_every_recipient_refused(
    target: Target,
) -> None:
    client = target.client(app_id=OTHER_APP_ID, secret=OTHER_SECRET)
    with client:
        report = client.messages.send_as_user(ALICE, TEXT, fcids=[TEST])
    assert report.failed[TEST].errcode == "FC_FORBIDDEN"
    async with target.async_client() as aclient:
        areport = await aclient.messages.send_as_user(USER001, TEXT, topic="t", fcids=[ALICE])
    assert areport.ok
