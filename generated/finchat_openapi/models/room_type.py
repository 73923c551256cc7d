from typing import Literal

RoomType = Literal["direct_room", "multi_room"]

ROOM_TYPE_VALUES: set[RoomType] = {
    "direct_room",
    "multi_room",
}


def check_room_type(value: str) -> RoomType:
    if value in ROOM_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROOM_TYPE_VALUES!r}")
