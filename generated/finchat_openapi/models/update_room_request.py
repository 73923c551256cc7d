from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.update_room_request_history_visibility import (
    UpdateRoomRequestHistoryVisibility,
    check_update_room_request_history_visibility,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateRoomRequest")


@_attrs_define
class UpdateRoomRequest:
    """One change of a group room. Only the highest group of fields present is applied (see
    `update_room`'s `x-precedence`); the fields of lower groups are ignored.

    """

    app_id: str
    """ An app's id, as issued when the app is created. """
    name: str | Unset = UNSET
    """ The new name. """
    topic: str | Unset = UNSET
    """ The new topic. """
    history_visibility: UpdateRoomRequestHistoryVisibility | Unset = UNSET
    """ `shared`: members see the history from before they joined; `joined`: only from when they joined. """
    owner: str | Unset = UNSET
    """ A user's FinChat id, `@localpart:server`; checked by its `@` only. """
    message_forbidden_except_owner: bool | Unset = UNSET
    """ Whether only the owner may send messages. """
    invite_forbidden_except_owner: bool | Unset = UNSET
    """ Whether only the owner may add members. """
    fcids_to_invite: list[str] | Unset = UNSET
    """ Users to add. """
    fcids_to_kick: list[str] | Unset = UNSET
    """ Members to remove. """

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        name = self.name

        topic = self.topic

        history_visibility: str | Unset = UNSET
        if not isinstance(self.history_visibility, Unset):
            history_visibility = self.history_visibility

        owner = self.owner

        message_forbidden_except_owner = self.message_forbidden_except_owner

        invite_forbidden_except_owner = self.invite_forbidden_except_owner

        fcids_to_invite: list[str] | Unset = UNSET
        if not isinstance(self.fcids_to_invite, Unset):
            fcids_to_invite = self.fcids_to_invite

        fcids_to_kick: list[str] | Unset = UNSET
        if not isinstance(self.fcids_to_kick, Unset):
            fcids_to_kick = self.fcids_to_kick

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if topic is not UNSET:
            field_dict["topic"] = topic
        if history_visibility is not UNSET:
            field_dict["history_visibility"] = history_visibility
        if owner is not UNSET:
            field_dict["owner"] = owner
        if message_forbidden_except_owner is not UNSET:
            field_dict["message_forbidden_except_owner"] = (
                message_forbidden_except_owner
            )
        if invite_forbidden_except_owner is not UNSET:
            field_dict["invite_forbidden_except_owner"] = invite_forbidden_except_owner
        if fcids_to_invite is not UNSET:
            field_dict["fcids_to_invite"] = fcids_to_invite
        if fcids_to_kick is not UNSET:
            field_dict["fcids_to_kick"] = fcids_to_kick

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        name = d.pop("name", UNSET)

        topic = d.pop("topic", UNSET)

        _history_visibility = d.pop("history_visibility", UNSET)
        history_visibility: UpdateRoomRequestHistoryVisibility | Unset
        if isinstance(_history_visibility, Unset):
            history_visibility = UNSET
        else:
            history_visibility = check_update_room_request_history_visibility(
                _history_visibility
            )

        owner = d.pop("owner", UNSET)

        message_forbidden_except_owner = d.pop("message_forbidden_except_owner", UNSET)

        invite_forbidden_except_owner = d.pop("invite_forbidden_except_owner", UNSET)

        fcids_to_invite = cast(list[str], d.pop("fcids_to_invite", UNSET))

        fcids_to_kick = cast(list[str], d.pop("fcids_to_kick", UNSET))

        update_room_request = cls(
            app_id=app_id,
            name=name,
            topic=topic,
            history_visibility=history_visibility,
            owner=owner,
            message_forbidden_except_owner=message_forbidden_except_owner,
            invite_forbidden_except_owner=invite_forbidden_except_owner,
            fcids_to_invite=fcids_to_invite,
            fcids_to_kick=fcids_to_kick,
        )

        return update_room_request
