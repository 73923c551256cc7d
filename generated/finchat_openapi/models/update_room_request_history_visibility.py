from typing import Literal

UpdateRoomRequestHistoryVisibility = Literal["joined", "shared"]

UPDATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES: set[
    UpdateRoomRequestHistoryVisibility
] = {
    "joined",
    "shared",
}


def check_update_room_request_history_visibility(
    value: str,
) -> UpdateRoomRequestHistoryVisibility:
    if value in UPDATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {UPDATE_ROOM_REQUEST_HISTORY_VISIBILITY_VALUES!r}"
    )
