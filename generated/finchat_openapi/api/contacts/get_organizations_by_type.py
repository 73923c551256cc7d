from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.organization import Organization
from ...types import UNSET, Response


def _get_kwargs(
    *,
    app_id: str,
    fcid: str,
    organization_type: int,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["app_id"] = app_id

    params["fcid"] = fcid

    params["organization_type"] = organization_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/finchat/open-api/contact/get-organizations-by-type",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[Organization]:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Organization.from_dict(response_200_item_data)

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
) -> Response[Error | list[Organization]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    app_id: str,
    fcid: str,
    organization_type: int,
) -> Response[Error | list[Organization]]:
    """List the organizations of a type

     Answers the organizations whose `organization_type` is the one given. The document requires
    a user's `fcid` as well without saying how it narrows the answer; an unknown user is
    `FC_FCID_NOT_FOUND`.

    Args:
        app_id (str): An app's id, as issued when the app is created.
        fcid (str): A user's FinChat id, `@localpart:server`; checked by its `@` only.
        organization_type (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Organization]]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
        fcid=fcid,
        organization_type=organization_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    app_id: str,
    fcid: str,
    organization_type: int,
) -> Error | list[Organization] | None:
    """List the organizations of a type

     Answers the organizations whose `organization_type` is the one given. The document requires
    a user's `fcid` as well without saying how it narrows the answer; an unknown user is
    `FC_FCID_NOT_FOUND`.

    Args:
        app_id (str): An app's id, as issued when the app is created.
        fcid (str): A user's FinChat id, `@localpart:server`; checked by its `@` only.
        organization_type (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Organization]
    """

    return sync_detailed(
        client=client,
        app_id=app_id,
        fcid=fcid,
        organization_type=organization_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    app_id: str,
    fcid: str,
    organization_type: int,
) -> Response[Error | list[Organization]]:
    """List the organizations of a type

     Answers the organizations whose `organization_type` is the one given. The document requires
    a user's `fcid` as well without saying how it narrows the answer; an unknown user is
    `FC_FCID_NOT_FOUND`.

    Args:
        app_id (str): An app's id, as issued when the app is created.
        fcid (str): A user's FinChat id, `@localpart:server`; checked by its `@` only.
        organization_type (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[Organization]]
    """

    kwargs = _get_kwargs(
        app_id=app_id,
        fcid=fcid,
        organization_type=organization_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    app_id: str,
    fcid: str,
    organization_type: int,
) -> Error | list[Organization] | None:
    """List the organizations of a type

     Answers the organizations whose `organization_type` is the one given. The document requires
    a user's `fcid` as well without saying how it narrows the answer; an unknown user is
    `FC_FCID_NOT_FOUND`.

    Args:
        app_id (str): An app's id, as issued when the app is created.
        fcid (str): A user's FinChat id, `@localpart:server`; checked by its `@` only.
        organization_type (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[Organization]
    """

    return (
        await asyncio_detailed(
            client=client,
            app_id=app_id,
            fcid=fcid,
            organization_type=organization_type,
        )
    ).parsed
