from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.pulled_events import PulledEvents
from ...types import UNSET, Response, Unset


def _get_kwargs(
    app_id: str,
    *,
    since: str | Unset = UNSET,
    page_size: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["since"] = since

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/privilege-api/forwarder/{app_id}/events".format(
            app_id=quote(str(app_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PulledEvents:
    if response.status_code == 200:
        response_200 = PulledEvents.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PulledEvents]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    app_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    page_size: int | Unset = 20,
) -> Response[Error | PulledEvents]:
    """Pull the event callbacks the platform stored for the app

     For an app whose callback address is set to the platform's own forwarder,
    `/api/v1/finchat/privilege-api/forwarder/event`, the platform stores each event instead of
    delivering it, and this operation answers them in `event_id` order, at most `page_size` at
    a time. `since` is the cursor: empty (or absent) on the first pull, then the `since` of the
    previous answer. Each event is the `event` object of a callback (see the `event` webhook),
    with the app's `app_id` beside its other fields. A privilege API: an app without the
    privilege is refused with `FC_FORBIDDEN`.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        since (str | Unset):
        page_size (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PulledEvents]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
        since=since,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    app_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    page_size: int | Unset = 20,
) -> Error | PulledEvents | None:
    """Pull the event callbacks the platform stored for the app

     For an app whose callback address is set to the platform's own forwarder,
    `/api/v1/finchat/privilege-api/forwarder/event`, the platform stores each event instead of
    delivering it, and this operation answers them in `event_id` order, at most `page_size` at
    a time. `since` is the cursor: empty (or absent) on the first pull, then the `since` of the
    previous answer. Each event is the `event` object of a callback (see the `event` webhook),
    with the app's `app_id` beside its other fields. A privilege API: an app without the
    privilege is refused with `FC_FORBIDDEN`.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        since (str | Unset):
        page_size (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PulledEvents
    """

    return sync_detailed(
        app_id=app_id,
        client=client,
        since=since,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    app_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    page_size: int | Unset = 20,
) -> Response[Error | PulledEvents]:
    """Pull the event callbacks the platform stored for the app

     For an app whose callback address is set to the platform's own forwarder,
    `/api/v1/finchat/privilege-api/forwarder/event`, the platform stores each event instead of
    delivering it, and this operation answers them in `event_id` order, at most `page_size` at
    a time. `since` is the cursor: empty (or absent) on the first pull, then the `since` of the
    previous answer. Each event is the `event` object of a callback (see the `event` webhook),
    with the app's `app_id` beside its other fields. A privilege API: an app without the
    privilege is refused with `FC_FORBIDDEN`.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        since (str | Unset):
        page_size (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PulledEvents]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
        since=since,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    app_id: str,
    *,
    client: AuthenticatedClient,
    since: str | Unset = UNSET,
    page_size: int | Unset = 20,
) -> Error | PulledEvents | None:
    """Pull the event callbacks the platform stored for the app

     For an app whose callback address is set to the platform's own forwarder,
    `/api/v1/finchat/privilege-api/forwarder/event`, the platform stores each event instead of
    delivering it, and this operation answers them in `event_id` order, at most `page_size` at
    a time. `since` is the cursor: empty (or absent) on the first pull, then the `since` of the
    previous answer. Each event is the `event` object of a callback (see the `event` webhook),
    with the app's `app_id` beside its other fields. A privilege API: an app without the
    privilege is refused with `FC_FORBIDDEN`.

    Args:
        app_id (str): An opaque id sent as one path segment (an app, organization or department
            id): no `/` and
            no white space, and not a dot segment (`.` or `..`, which would change the route).
        since (str | Unset):
        page_size (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PulledEvents
    """

    return (
        await asyncio_detailed(
            app_id=app_id,
            client=client,
            since=since,
            page_size=page_size,
        )
    ).parsed
