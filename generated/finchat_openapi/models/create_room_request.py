from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.create_room_request_history_visibility import (
    CreateRoomRequestHistoryVisibility,
    check_create_room_request_history_visibility,
)
from ..models.create_room_request_type import (
    CreateRoomRequestType,
    check_create_room_request_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateRoomRequest")


@_attrs_define
class CreateRoomRequest:
    app_id: str
    """ An app's id, as issued when the app is created. """
    type_: CreateRoomRequestType
    """ The kind of room; only `multi_chat`, a group room, exists today. """
    name: str | Unset = UNSET
    """ The room's name. """
    topic: str | Unset = UNSET
    """ The room's topic (its notice board). """
    history_visibility: CreateRoomRequestHistoryVisibility | Unset = "shared"
    """ `shared`: members see the history from before they joined; `joined`: only from when they joined. """
    federate: bool | Unset = False
    """ Whether users of other servers may be in the room. """
    owner: str | Unset = UNSET
    """ A user's FinChat id, `@localpart:server`; checked by its `@` only. """
    fcids: list[str] | Unset = UNSET
    """ Users who join the room. """

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        type_: str = self.type_

        name = self.name

        topic = self.topic

        history_visibility: str | Unset = UNSET
        if not isinstance(self.history_visibility, Unset):
            history_visibility = self.history_visibility

        federate = self.federate

        owner = self.owner

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
                "type": type_,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if topic is not UNSET:
            field_dict["topic"] = topic
        if history_visibility is not UNSET:
            field_dict["history_visibility"] = history_visibility
        if federate is not UNSET:
            field_dict["federate"] = federate
        if owner is not UNSET:
            field_dict["owner"] = owner
        if fcids is not UNSET:
            field_dict["fcids"] = fcids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        type_ = check_create_room_request_type(d.pop("type"))

        name = d.pop("name", UNSET)

        topic = d.pop("topic", UNSET)

        _history_visibility = d.pop("history_visibility", UNSET)
        history_visibility: CreateRoomRequestHistoryVisibility | Unset
        if isinstance(_history_visibility, Unset):
            history_visibility = UNSET
        else:
            history_visibility = check_create_room_request_history_visibility(
                _history_visibility
            )

        federate = d.pop("federate", UNSET)

        owner = d.pop("owner", UNSET)

        fcids = cast(list[str], d.pop("fcids", UNSET))

        create_room_request = cls(
            app_id=app_id,
            type_=type_,
            name=name,
            topic=topic,
            history_visibility=history_visibility,
            federate=federate,
            owner=owner,
            fcids=fcids,
        )

        return create_room_request
