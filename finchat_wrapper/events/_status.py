"""An app status change with its statuses and operation as the spec's typed values.

`AppStatusEvent.content` carries `from_status`, `to_status` and `operation` as plain strings,
as the spec has them, so that a status added later does not break parsing. `app_status_change`
reads them as the `AppStatus` / `AppOperation` literals of the generated client, for code that
matches on them with the type checker's help: a value this version does not know is None (its
text stays on `event.content`).
"""

from __future__ import annotations

from typing import Final

import attrs
from finchat_openapi.models import AppStatusEvent
from finchat_openapi.models.app_operation import APP_OPERATION_VALUES, AppOperation
from finchat_openapi.models.app_status import APP_STATUS_VALUES, AppStatus

__all__ = ["AppOperation", "AppStatus", "AppStatusChange", "app_status_change"]

_STATUSES: Final[dict[str, AppStatus]] = {value: value for value in APP_STATUS_VALUES}
_OPERATIONS: Final[dict[str, AppOperation]] = {value: value for value in APP_OPERATION_VALUES}


@attrs.frozen
class AppStatusChange:
    """What an `AppStatusEvent` says, typed: None where the value is one the spec does not list."""

    app_id: str
    from_status: AppStatus | None
    to_status: AppStatus | None
    operation: AppOperation | None


def app_status_change(event: AppStatusEvent) -> AppStatusChange:
    """The typed statuses and operation of an app status event.

    >>> change = app_status_change(event)
    >>> if change.to_status == "Published": ...
    """
    content = event.content
    return AppStatusChange(
        app_id=content.app_id,
        from_status=_STATUSES.get(content.from_status),
        to_status=_STATUSES.get(content.to_status),
        operation=_OPERATIONS.get(content.operation),
    )
