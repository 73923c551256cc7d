from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cui_info_status import CuiInfoStatus, check_cui_info_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cui_context_text import CuiContextText
    from ..models.cui_divider import CuiDivider
    from ..models.cui_dropdown_input import CuiDropdownInput
    from ..models.cui_image import CuiImage
    from ..models.cui_open_url_button import CuiOpenUrlButton
    from ..models.cui_reply_button import CuiReplyButton
    from ..models.cui_submit_button import CuiSubmitButton
    from ..models.cui_text_input import CuiTextInput


T = TypeVar("T", bound="CuiInfo")


@_attrs_define
class CuiInfo:
    """The card: a form of elements. Every field is optional because the document's own examples
    send `info: {}`.

    """

    type_: Literal["form"] | Unset = UNSET
    """ The card type; `form`. """
    status: CuiInfoStatus | Unset = UNSET
    """ `input` accepts input, `loading` shows progress, `disable` is read-only. """
    shared: bool | Unset = UNSET
    """ Whether the card is shared by everyone in the room (true) or per user. """
    fcids: list[str] | Unset = UNSET
    """ For a card that is not shared, the users whose copy an update changes. """
    elements: (
        list[
            CuiContextText
            | CuiDivider
            | CuiDropdownInput
            | CuiImage
            | CuiOpenUrlButton
            | CuiReplyButton
            | CuiSubmitButton
            | CuiTextInput
        ]
        | Unset
    ) = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cui_context_text import CuiContextText
        from ..models.cui_divider import CuiDivider
        from ..models.cui_dropdown_input import CuiDropdownInput
        from ..models.cui_image import CuiImage
        from ..models.cui_reply_button import CuiReplyButton
        from ..models.cui_submit_button import CuiSubmitButton
        from ..models.cui_text_input import CuiTextInput

        type_ = self.type_

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status

        shared = self.shared

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        elements: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.elements, Unset):
            elements = []
            for elements_item_data in self.elements:
                elements_item: dict[str, Any]
                if (
                    isinstance(elements_item_data, CuiContextText)
                    or isinstance(elements_item_data, CuiDivider)
                    or isinstance(elements_item_data, CuiImage)
                    or isinstance(elements_item_data, CuiTextInput)
                    or isinstance(elements_item_data, CuiDropdownInput)
                    or isinstance(elements_item_data, CuiSubmitButton)
                    or isinstance(elements_item_data, CuiReplyButton)
                ):
                    elements_item = elements_item_data.to_dict()
                else:
                    elements_item = elements_item_data.to_dict()

                elements.append(elements_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if shared is not UNSET:
            field_dict["shared"] = shared
        if fcids is not UNSET:
            field_dict["fcids"] = fcids
        if elements is not UNSET:
            field_dict["elements"] = elements

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_context_text import CuiContextText
        from ..models.cui_divider import CuiDivider
        from ..models.cui_dropdown_input import CuiDropdownInput
        from ..models.cui_image import CuiImage
        from ..models.cui_open_url_button import CuiOpenUrlButton
        from ..models.cui_reply_button import CuiReplyButton
        from ..models.cui_submit_button import CuiSubmitButton
        from ..models.cui_text_input import CuiTextInput

        d = dict(src_dict)
        type_ = cast(Literal["form"] | Unset, d.pop("type", UNSET))
        if type_ != "form" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'form', got '{type_}'")

        _status = d.pop("status", UNSET)
        status: CuiInfoStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = check_cui_info_status(_status)

        shared = d.pop("shared", UNSET)

        fcids = cast(list[str], d.pop("fcids", UNSET))

        _elements = d.pop("elements", UNSET)
        elements: (
            list[
                CuiContextText
                | CuiDivider
                | CuiDropdownInput
                | CuiImage
                | CuiOpenUrlButton
                | CuiReplyButton
                | CuiSubmitButton
                | CuiTextInput
            ]
            | Unset
        ) = UNSET
        if _elements is not UNSET:
            elements = []
            for elements_item_data in _elements:

                def _parse_elements_item(
                    data: object,
                ) -> (
                    CuiContextText
                    | CuiDivider
                    | CuiDropdownInput
                    | CuiImage
                    | CuiOpenUrlButton
                    | CuiReplyButton
                    | CuiSubmitButton
                    | CuiTextInput
                ):
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_0 = CuiContextText.from_dict(
                            data
                        )

                        return componentsschemas_cui_element_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_1 = CuiDivider.from_dict(
                            data
                        )

                        return componentsschemas_cui_element_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_2 = CuiImage.from_dict(data)

                        return componentsschemas_cui_element_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_3 = CuiTextInput.from_dict(
                            data
                        )

                        return componentsschemas_cui_element_type_3
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_4 = (
                            CuiDropdownInput.from_dict(data)
                        )

                        return componentsschemas_cui_element_type_4
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_5 = (
                            CuiSubmitButton.from_dict(data)
                        )

                        return componentsschemas_cui_element_type_5
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_cui_element_type_6 = CuiReplyButton.from_dict(
                            data
                        )

                        return componentsschemas_cui_element_type_6
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_cui_element_type_7 = CuiOpenUrlButton.from_dict(
                        data
                    )

                    return componentsschemas_cui_element_type_7

                elements_item = _parse_elements_item(elements_item_data)

                elements.append(elements_item)

        cui_info = cls(
            type_=type_,
            status=status,
            shared=shared,
            fcids=fcids,
            elements=elements,
        )

        cui_info.additional_properties = d
        return cui_info

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
