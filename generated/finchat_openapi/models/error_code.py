from typing import Literal

ErrorCode = Literal[
    "FC_APP_NOT_FOUND",
    "FC_APP_NOT_PUBLISHED",
    "FC_BAD_JSON",
    "FC_FCID_ALREADY_IN_ROOM",
    "FC_FCID_NOT_FOUND",
    "FC_FCID_NOT_IN_ROOM",
    "FC_FORBIDDEN",
    "FC_INTERNAL_ERROR",
    "FC_INVALID_ACCESS_TOKEN",
    "FC_INVALID_SECRET",
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED",
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED",
    "FC_NOT_FOUND",
    "FC_ROOM_IS_NOT_FEDERATE",
    "FC_ROOM_NOT_FOUND",
    "FC_UNKNOWN",
]

ERROR_CODE_VALUES: set[ErrorCode] = {
    "FC_APP_NOT_FOUND",
    "FC_APP_NOT_PUBLISHED",
    "FC_BAD_JSON",
    "FC_FCID_ALREADY_IN_ROOM",
    "FC_FCID_NOT_FOUND",
    "FC_FCID_NOT_IN_ROOM",
    "FC_FORBIDDEN",
    "FC_INTERNAL_ERROR",
    "FC_INVALID_ACCESS_TOKEN",
    "FC_INVALID_SECRET",
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED",
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED",
    "FC_NOT_FOUND",
    "FC_ROOM_IS_NOT_FEDERATE",
    "FC_ROOM_NOT_FOUND",
    "FC_UNKNOWN",
}


def check_error_code(value: str) -> ErrorCode:
    if value in ERROR_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ERROR_CODE_VALUES!r}"
    )
