from typing import Literal

SearchResultItemType = Literal["text"]

SEARCH_RESULT_ITEM_TYPE_VALUES: set[SearchResultItemType] = {
    "text",
}


def check_search_result_item_type(value: str) -> SearchResultItemType:
    if value in SEARCH_RESULT_ITEM_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SEARCH_RESULT_ITEM_TYPE_VALUES!r}"
    )
