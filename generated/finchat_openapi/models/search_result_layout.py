from typing import Literal

SearchResultLayout = Literal["list"]

SEARCH_RESULT_LAYOUT_VALUES: set[SearchResultLayout] = {
    "list",
}


def check_search_result_layout(value: str) -> SearchResultLayout:
    if value in SEARCH_RESULT_LAYOUT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEARCH_RESULT_LAYOUT_VALUES!r}"
    )
