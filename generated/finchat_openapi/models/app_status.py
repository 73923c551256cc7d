from typing import Literal

AppStatus = Literal[
    "InDevelopment",
    "PublishApproved",
    "Published",
    "Publishing",
    "PublishRejected",
    "PublishWithdrawed",
    "UnpublishApproved",
    "Unpublished",
    "Unpublishing",
    "UnpublishRejected",
]

APP_STATUS_VALUES: set[AppStatus] = {
    "InDevelopment",
    "PublishApproved",
    "Published",
    "Publishing",
    "PublishRejected",
    "PublishWithdrawed",
    "UnpublishApproved",
    "Unpublished",
    "Unpublishing",
    "UnpublishRejected",
}


def check_app_status(value: str) -> AppStatus:
    if value in APP_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {APP_STATUS_VALUES!r}"
    )
