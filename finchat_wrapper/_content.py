"""Message contents: the types a send takes, and builders for `m.text`, `m.image`, `m.file` and
`m.textcard` (`m.cui` comes from the card builder, `_cui`).

Each builder checks its arguments and returns the generated model, so what goes on the wire is
exactly `model.to_dict()`, the spec's JSON. Checking here means a typo fails on the caller's line,
before any request, instead of as a `FC_BAD_JSON` for a whole broadcast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeVar

from ._checks import check_count, check_str, check_url

if TYPE_CHECKING:
    # The builders import the generated models when called: `import finchat_wrapper` stays light.
    from finchat_openapi.models import (
        CuiContent,
        FileContent,
        ImageContent,
        TextCardContent,
        TextContent,
    )
    from finchat_openapi.types import Unset

__all__ = [
    "ContentUri",
    "CuiMessageContent",
    "MessageContent",
    "UserMessageContent",
    "file_content",
    "image_content",
    "text_content",
    "textcard_content",
]

# What each send takes: a generated content model, or the same content as a JSON mapping.
MessageContent: TypeAlias = (
    "TextContent | TextCardContent | ImageContent | FileContent | CuiContent | Mapping[str, Any]"
)
"""Any message the app's bot sends (`messages.send`)."""
UserMessageContent: TypeAlias = (
    "TextContent | TextCardContent | ImageContent | FileContent | Mapping[str, Any]"
)
"""A message sent in a user's name (`messages.send_as_user`): a CUI card cannot be."""
CuiMessageContent: TypeAlias = "CuiContent | Mapping[str, Any]"
"""The new content of a CUI card (`messages.update_cui`)."""

T = TypeVar("T")

# The spec's `ContentUri` pattern: the server part and the media id, neither holding `/` or space.
_CONTENT_URI = re.compile(r"mxc://([^/\s]+)/([^/\s]+)")


class ContentUri(str):
    """The `mxc://server/media-id` URI of an uploaded file, checked when it is made.

    A `str`, so it goes anywhere the generated models take an `o_url`.
    """

    __slots__ = ()

    def __new__(cls, value: str) -> Self:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise TypeError(f"a content URI is a str, not {type(value).__name__}")
        if _CONTENT_URI.fullmatch(value) is None:
            raise ValueError(
                f"not a content URI: {value!r}; expected mxc://server/media-id, "
                "as answered by the media upload"
            )
        return super().__new__(cls, value)

    @property
    def server(self) -> str:
        """The server part, e.g. `example.org` in `mxc://example.org/abc`."""
        return self[len("mxc://") :].split("/", 1)[0]

    @property
    def media_id(self) -> str:
        """The media id, e.g. `abc` in `mxc://example.org/abc`."""
        return self.rsplit("/", 1)[1]

    def __repr__(self) -> str:
        return f"ContentUri({str(self)!r})"


def text_content(body: str) -> TextContent:
    """An `m.text` message."""
    from finchat_openapi.models import TextContent

    return TextContent(msgtype="m.text", body=check_str("body", body))


def _info(model: Callable[..., T], fields: dict[str, object]) -> T | Unset:
    """`model` of the `fields` given (None: not given), or UNSET when none is: the spec makes every
    field of a media message's `info` optional, and an empty `info` is not sent."""
    from finchat_openapi.types import UNSET

    if all(value is None for value in fields.values()):
        return UNSET
    return model(**{name: UNSET if value is None else value for name, value in fields.items()})


def _media_fields(mimetype: str | None, size: int | None) -> dict[str, object]:
    return {
        "mimetype": None if mimetype is None else check_str("mimetype", mimetype),
        "size": None if size is None else check_count("size", size),
    }


def image_content(
    o_url: str,
    *,
    body: str,
    mimetype: str | None = None,
    size: int | None = None,
    width: int | None = None,
    height: int | None = None,
) -> ImageContent:
    """An `m.image` message for an uploaded image; `body` is its file name.

    `info` is sent only when at least one of its fields is given, as the spec makes all optional.
    """
    from finchat_openapi.models import ImageContent, ImageInfo

    info = _info(
        ImageInfo,
        {
            **_media_fields(mimetype, size),
            "w": None if width is None else check_count("width", width),
            "h": None if height is None else check_count("height", height),
        },
    )
    return ImageContent(
        msgtype="m.image", body=check_str("body", body), o_url=str(ContentUri(o_url)), info=info
    )


def file_content(
    o_url: str,
    *,
    body: str,
    mimetype: str | None = None,
    size: int | None = None,
) -> FileContent:
    """An `m.file` message for an uploaded file; `body` is its file name."""
    from finchat_openapi.models import FileContent, FileInfo

    info = _info(FileInfo, _media_fields(mimetype, size))
    return FileContent(
        msgtype="m.file", body=check_str("body", body), o_url=str(ContentUri(o_url)), info=info
    )


def textcard_content(
    *,
    title: str,
    description: str,
    url: str,
    btntext: str | None = None,
    o_url: str | None = None,
    body: str = "",
) -> TextCardContent:
    """An `m.textcard` message: a title, a text and a link; `o_url` is an optional image."""
    from finchat_openapi.models import TextCardContent, TextCardInfo
    from finchat_openapi.types import UNSET

    return TextCardContent(
        msgtype="m.textcard",
        body=check_str("body", body),
        info=TextCardInfo(
            title=check_str("title", title),
            description=check_str("description", description),
            url=check_url("url", url),
            btntext=UNSET if btntext is None else check_str("btntext", btntext),
        ),
        o_url=UNSET if o_url is None else str(ContentUri(o_url)),
    )
