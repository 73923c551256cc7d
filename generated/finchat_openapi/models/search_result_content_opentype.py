from typing import Literal

SearchResultContentOpentype = Literal["inapp", "inbrowser"]

SEARCH_RESULT_CONTENT_OPENTYPE_VALUES: set[SearchResultContentOpentype] = {
    "inapp",
    "inbrowser",
}


def check_search_result_content_opentype(value: str) -> SearchResultContentOpentype:
    if value in SEARCH_RESULT_CONTENT_OPENTYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEARCH_RESULT_CONTENT_OPENTYPE_VALUES!r}"
    )
