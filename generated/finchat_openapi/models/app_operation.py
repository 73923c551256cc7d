from typing import Literal

AppOperation = Literal[
    "ApprovePublishRequest",
    "ApproveUnpublishRequest",
    "Publish",
    "RejectPublishRequest",
    "RejectUnpublishRequest",
    "SubmitPublishRequest",
    "SubmitUnpublishRequest",
    "Unpublish",
    "WithdrawPublishRequest",
]

APP_OPERATION_VALUES: set[AppOperation] = {
    "ApprovePublishRequest",
    "ApproveUnpublishRequest",
    "Publish",
    "RejectPublishRequest",
    "RejectUnpublishRequest",
    "SubmitPublishRequest",
    "SubmitUnpublishRequest",
    "Unpublish",
    "WithdrawPublishRequest",
}


def check_app_operation(value: str) -> AppOperation:
    if value in APP_OPERATION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {APP_OPERATION_VALUES!r}"
    )
