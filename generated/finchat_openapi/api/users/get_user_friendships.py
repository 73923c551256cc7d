from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.user_friendship import UserFriendship
from ...types import UNSET, Response


def _get_kwargs(
    fcid: str,
    *,
    app_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_id"] = app_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/users/{fcid}/friendships".format(
            fcid=quote(str(fcid), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[UserFriendship]:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = UserFriendship.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Error | list[UserFriendship]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    fcid: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | list[UserFriendship]]:
    """List a user's friends

     Answers the user's friends with the direct room shared with each. An unknown user answers
    404 with `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation
    will be required later and that it is open meanwhile.

    Args:
        fcid (str): A user's fcid sent as a path segment, `@localpart:server`, with no `/` or
            white space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[UserFriendship]]
    """

    kwargs = _get_kwargs(
        fcid=fcid,
        app_id=app_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    fcid: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | list[UserFriendship] | None:
    """List a user's friends

     Answers the user's friends with the direct room shared with each. An unknown user answers
    404 with `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation
    will be required later and that it is open meanwhile.

    Args:
        fcid (str): A user's fcid sent as a path segment, `@localpart:server`, with no `/` or
            white space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[UserFriendship]
    """

    return sync_detailed(
        fcid=fcid,
        client=client,
        app_id=app_id,
    ).parsed


async def asyncio_detailed(
    fcid: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Response[Error | list[UserFriendship]]:
    """List a user's friends

     Answers the user's friends with the direct room shared with each. An unknown user answers
    404 with `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation
    will be required later and that it is open meanwhile.

    Args:
        fcid (str): A user's fcid sent as a path segment, `@localpart:server`, with no `/` or
            white space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[UserFriendship]]
    """

    kwargs = _get_kwargs(
        fcid=fcid,
        app_id=app_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    fcid: str,
    *,
    client: AuthenticatedClient,
    app_id: str,
) -> Error | list[UserFriendship] | None:
    """List a user's friends

     Answers the user's friends with the direct room shared with each. An unknown user answers
    404 with `FC_FCID_NOT_FOUND`. The document says that user authorisation for this operation
    will be required later and that it is open meanwhile.

    Args:
        fcid (str): A user's fcid sent as a path segment, `@localpart:server`, with no `/` or
            white space.
        app_id (str): An app's id, as issued when the app is created.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[UserFriendship]
    """

    return (
        await asyncio_detailed(
            fcid=fcid,
            client=client,
            app_id=app_id,
        )
    ).parsed
