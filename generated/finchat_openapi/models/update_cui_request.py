from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cui_content import CuiContent


T = TypeVar("T", bound="UpdateCuiRequest")


@_attrs_define
class UpdateCuiRequest:
    app_id: str
    """ An app's id, as issued when the app is created. """
    origin_event: str
    """ A message's or event's id, `$` and more: `$opaque:server` in the document's examples,
    `$` and unpadded base64 (which may contain `/` and `+`) in modern Matrix rooms; checked by
    its `$` only.
     """
    content: CuiContent
    """ A CUI (conversation card) message. """
    fcids: list[str] | Unset = UNSET
    """ Users whose direct room with the bot holds the card. Ignored when `room_ids` is not empty. """
    room_ids: list[str] | Unset = UNSET
    """ Rooms that hold the card. When not empty, `fcids` is ignored. """

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        origin_event = self.origin_event

        content = self.content.to_dict()

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        room_ids: list[str] | Unset = UNSET
        if not isinstance(self.room_ids, Unset):
            room_ids = self.room_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
                "origin_event": origin_event,
                "content": content,
            }
        )
        if fcids is not UNSET:
            field_dict["fcids"] = fcids
        if room_ids is not UNSET:
            field_dict["room_ids"] = room_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_content import CuiContent

        d = dict(src_dict)
        app_id = d.pop("app_id")

        origin_event = d.pop("origin_event")

        content = CuiContent.from_dict(d.pop("content"))

        fcids = cast(list[str], d.pop("fcids", UNSET))

        room_ids = cast(list[str], d.pop("room_ids", UNSET))

        update_cui_request = cls(
            app_id=app_id,
            origin_event=origin_event,
            content=content,
            fcids=fcids,
            room_ids=room_ids,
        )

        return update_cui_request
