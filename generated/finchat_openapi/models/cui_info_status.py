from typing import Literal

CuiInfoStatus = Literal["disable", "input", "loading"]

CUI_INFO_STATUS_VALUES: set[CuiInfoStatus] = {
    "disable",
    "input",
    "loading",
}


def check_cui_info_status(value: str) -> CuiInfoStatus:
    if value in CUI_INFO_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CUI_INFO_STATUS_VALUES!r}"
    )
