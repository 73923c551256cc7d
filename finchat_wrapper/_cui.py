"""The CUI card builder: a form of elements, written in a few readable lines.

    card = (
        Card(shared=True)
        .text("Apply for a POC")
        .input("company", placeholder="Company")
        .dropdown("size", ["1-50", "51-500", "500+"], placeholder="Employees")
        .submit("Send")
    )
    content = card.to_content()  # CuiContent, ready for client.messages.send

Every element of section 4 of the CUI document has one method; each checks its arguments at once,
so a bad card fails on the line that built it rather than as a rejected broadcast. Keys name the
values a submit sends back (`finstore.room.interactcui`), so two inputs may never share one: the
second would silently overwrite the first. Reply buttons are the exception by design: the buttons
answering one question share its key and differ by value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple, Self, get_args

from finchat_openapi.models import (
    CuiContent,
    CuiContextText,
    CuiDivider,
    CuiDropdownInput,
    CuiDropdownOption,
    CuiImage,
    CuiInfo,
    CuiOpenUrlButton,
    CuiReplyButton,
    CuiSubmitButton,
    CuiTextInput,
)
from finchat_openapi.types import UNSET, Unset

from ._checks import check_str, check_url
from ._content import ContentUri
from ._ids import validate_fcids

__all__ = ["CUI_BODY", "CUI_VERSION", "Card", "CardStatus", "CuiElement", "Option", "cui_content"]

CUI_BODY = "[交互卡片]"
"""The fallback text clients without card support show, as in the CUI document."""

CUI_VERSION = "0.1.0"
"""The CUI format version the document describes."""

CardStatus = Literal["input", "loading", "disable"]

CuiElement = (
    CuiContextText
    | CuiDivider
    | CuiImage
    | CuiTextInput
    | CuiDropdownInput
    | CuiSubmitButton
    | CuiReplyButton
    | CuiOpenUrlButton
)


class Option(NamedTuple):
    """One choice of a dropdown: what the user sees and what is submitted."""

    label: str
    value: str


def _nonempty(name: str, value: object) -> str:
    text = check_str(name, value)
    if not text:
        raise ValueError(f"{name} must not be empty")
    return text


def _optional(name: str, value: str | None) -> str | Unset:
    # The generated models take UNSET for an absent optional field.
    return UNSET if value is None else check_str(name, value)


class Card:
    """A CUI card (`m.cui`): settings plus an ordered list of elements.

    `status` is `input` (accepts input), `loading` or `disable` (read-only). A `shared` card is
    one copy for the whole room; a card that is not shared is a copy per user, and `fcids` names
    the users whose copy an update changes. Element methods append and return the card, so they
    chain.
    """

    def __init__(
        self,
        *,
        status: CardStatus = "input",
        shared: bool = True,
        fcids: Iterable[str] = (),
    ) -> None:
        if status not in get_args(CardStatus):
            raise ValueError(f"status must be one of input, loading, disable; got {status!r}")
        if not isinstance(shared, bool):
            raise TypeError(f"shared must be a bool, not {type(shared).__name__}")
        checked = validate_fcids(fcids)
        if shared and checked:
            raise ValueError(
                "fcids name the users whose copy of a per-user card an update changes; "
                "a shared card has one copy, so pass shared=False with fcids"
            )
        if len(set(checked)) != len(checked):
            raise ValueError("fcids must not repeat a user")
        self.status: CardStatus = status
        self.shared = shared
        self.fcids: tuple[str, ...] = tuple(checked)
        self._elements: list[CuiElement] = []
        # key -> "input" or "reply": replies may share a key with replies, never with an input.
        self._keys: dict[str, str] = {}
        self._replies: set[tuple[str, str]] = set()

    def __repr__(self) -> str:
        kinds = ", ".join(f"{e.type_}/{e.subtype}" for e in self._elements)
        return f"Card(status={self.status!r}, shared={self.shared!r}, elements=[{kinds}])"

    @property
    def elements(self) -> tuple[CuiElement, ...]:
        return tuple(self._elements)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys a submit of this card can send back, in order of first appearance."""
        return tuple(self._keys)

    # ---- elements ---------------------------------------------------------------------------

    def text(self, value: str) -> Self:
        """A line of text (`context` / `text`)."""
        return self.add(
            CuiContextText(type_="context", subtype="text", value=check_str("text", value))
        )

    def divider(self, *, height: int | None = None, background: str | None = None) -> Self:
        """A horizontal rule; `height` in pixels (1 when absent), `background` its colour."""
        if height is not None and (
            isinstance(height, bool) or not isinstance(height, int) or height < 1
        ):
            raise ValueError(f"divider height must be a positive number of pixels, got {height!r}")
        if background is not None:
            _nonempty("divider background", background)
        return self.add(
            CuiDivider(
                type_="divider",
                subtype="divider",
                height=UNSET if height is None else str(height),
                background=_optional("background", background),
            )
        )

    def image(self, o_url: str) -> Self:
        """An image uploaded beforehand, by its `mxc://` content URI."""
        return self.add(CuiImage(type_="image", subtype="image", o_url=str(ContentUri(o_url))))

    def input(self, key: str, *, placeholder: str | None = None, value: str | None = None) -> Self:
        """A one-line text field, submitted under `key`; `value` is its initial text."""
        return self.add(
            CuiTextInput(
                type_="input",
                subtype="text-input",
                key=_nonempty("key", key),
                placeholder=_optional("placeholder", placeholder),
                value=_optional("value", value),
            )
        )

    def dropdown(
        self,
        key: str,
        options: Iterable[Option | tuple[str, str] | str],
        *,
        placeholder: str | None = None,
        value: str | None = None,
    ) -> Self:
        """A choice among `options`, submitted under `key`.

        An option is an `Option(label, value)` (or a `(label, value)` pair), or a str that is
        both. `value` preselects the option with that value.
        """
        if isinstance(options, str):
            raise TypeError("options must be a list of options, not one str")
        parsed: list[Option] = []
        for option in options:
            if isinstance(option, str):
                parsed.append(Option(option, option))
            elif isinstance(option, tuple) and len(option) == 2:
                parsed.append(
                    Option(
                        check_str("option label", option[0]), check_str("option value", option[1])
                    )
                )
            else:
                raise TypeError(f"an option is Option(label, value) or a str, not {option!r}")
        if not parsed:
            raise ValueError(f"dropdown {key!r} needs at least one option")
        values = [o.value for o in parsed]
        if len(set(values)) != len(values):
            raise ValueError(f"dropdown {key!r} has two options with the same value")
        if value and value not in values:
            raise ValueError(f"dropdown {key!r}: value {value!r} is not one of its options")
        return self.add(
            CuiDropdownInput(
                type_="input",
                subtype="dropdown-input",
                key=_nonempty("key", key),
                options=[CuiDropdownOption(label=o.label, value=o.value) for o in parsed],
                placeholder=_optional("placeholder", placeholder),
                value=_optional("value", value),
            )
        )

    def submit(self, label: str = "提交") -> Self:
        """The button that submits the card's inputs to the app."""
        return self.add(
            CuiSubmitButton(
                type_="button", subtype="submit", value=_nonempty("label", label), action="submit"
            )
        )

    def reply(self, key: str, value: str, *, status: str | None = None) -> Self:
        """One answer of a question: choosing it submits `value` under `key`.

        The answers of one question are reply buttons sharing its key.
        """
        return self.add(
            CuiReplyButton(
                type_="button",
                subtype="reply",
                key=_nonempty("key", key),
                value=_nonempty("value", value),
                status=_optional("status", status),
            )
        )

    def open_url(self, label: str, *, url: str) -> Self:
        """A button that opens `url`."""
        return self.add(
            CuiOpenUrlButton(
                type_="button",
                subtype="openurl",
                value=_nonempty("label", label),
                action=check_url("url", url),
            )
        )

    def add(self, element: CuiElement) -> Self:
        """Append an element model built elsewhere; keys are checked like the methods do."""
        if isinstance(element, CuiReplyButton):
            owner = self._keys.get(element.key)
            if owner == "input":
                raise ValueError(f"key {element.key!r} is already used by an input of this card")
            if (element.key, element.value) in self._replies:
                raise ValueError(
                    f"reply {element.value!r} under key {element.key!r} is already on this card"
                )
            self._keys[element.key] = "reply"
            self._replies.add((element.key, element.value))
        elif isinstance(element, CuiTextInput | CuiDropdownInput):
            if element.key in self._keys:
                raise ValueError(
                    f"key {element.key!r} is already used on this card; keys are unique"
                )
            self._keys[element.key] = "input"
        elif not isinstance(
            element,
            CuiContextText | CuiDivider | CuiImage | CuiSubmitButton | CuiOpenUrlButton,
        ):
            raise TypeError(f"not a CUI element: {type(element).__name__}")
        self._elements.append(element)
        return self

    # ---- output -----------------------------------------------------------------------------

    def with_status(self, status: CardStatus) -> Card:
        """A copy in another status, e.g. `disable` once submitted, for `update_cui`."""
        copy = Card(status=status, shared=self.shared, fcids=self.fcids)
        for element in self._elements:
            copy.add(_copied(element))
        return copy

    def to_info(self) -> CuiInfo:
        if not self._elements:
            raise ValueError("a card needs at least one element")
        # from_dict(to_dict()) gives the content its own element objects: later edits of this
        # card, or of the returned content, never leak into each other.
        return CuiInfo.from_dict(
            {
                "type": "form",
                "status": self.status,
                "shared": self.shared,
                "fcids": list(self.fcids),
                "elements": [e.to_dict() for e in self._elements],
            }
        )

    def to_content(self, *, body: str = CUI_BODY) -> CuiContent:
        """The `m.cui` message content of this card."""
        return CuiContent(
            msgtype="m.cui", body=check_str("body", body), info=self.to_info(), version=CUI_VERSION
        )

    @classmethod
    def from_content(cls, content: CuiContent) -> Card:
        """The card of a CUI content, e.g. to change a sent card for `update_cui`."""
        info = content.info
        card = cls(
            status="input" if not info.status else info.status,
            shared=True if info.shared is UNSET else bool(info.shared),
            fcids=[] if not info.fcids else info.fcids,
        )
        for element in info.elements or []:
            card.add(_copied(element))
        return card


def _copied(element: CuiElement) -> CuiElement:
    # Two cards never share an element object: editing one must not change the other.
    return type(element).from_dict(element.to_dict())


def cui_content(card: Card, *, body: str | None = None) -> CuiContent:
    """An `m.cui` message from a `Card`; `body` is the fallback text (`[交互卡片]` by default)."""
    return card.to_content() if body is None else card.to_content(body=body)
