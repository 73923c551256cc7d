from typing import Literal

CreateRoomRequestHistoryVisibility = Literal["joined", "shared"]

CREATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES: set[
    CreateRoomRequestHistoryVisibility
] = {
    "joined",
    "shared",
}


def check_create_room_request_history_visibility(
    value: str,
) -> CreateRoomRequestHistoryVisibility:
    if value in CREATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES!r}"
    )
