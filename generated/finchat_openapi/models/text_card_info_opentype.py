from typing import Literal

TextCardInfoOpentype = Literal["inapp", "inbrowser"]

TEXT_CARD_INFO_OPENTYPE_VALUES: set[TextCardInfoOpentype] = {
    "inapp",
    "inbrowser",
}


def check_text_card_info_opentype(value: str) -> TextCardInfoOpentype:
    if value in TEXT_CARD_INFO_OPENTYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TEXT_CARD_INFO_OPENTYPE_VALUES!r}"
    )
