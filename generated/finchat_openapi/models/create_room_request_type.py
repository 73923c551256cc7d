from typing import Literal

CreateRoomRequestType = Literal["multi_chat"]

CREATE_ROOM_REQUEST_TYPE_VALUES: set[CreateRoomRequestType] = {
    "multi_chat",
}


def check_create_room_request_type(value: str) -> CreateRoomRequestType:
    if value in CREATE_ROOM_REQUEST_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_ROOM_REQUEST_TYPE_VALUES!r}"
    )
