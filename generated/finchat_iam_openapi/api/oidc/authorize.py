from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorize_response_type import (
    AuthorizeResponseType,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    client_id: str,
    redirect_uri: str,
    response_type: AuthorizeResponseType,
    scope: str,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["client_id"] = client_id

    params["redirect_uri"] = redirect_uri

    json_response_type: str = response_type
    params["response_type"] = json_response_type

    params["scope"] = scope

    params["state"] = state

    params["nonce"] = nonce

    params["login_hint"] = login_hint

    params["code_challenge"] = code_challenge

    params["code_challenge_method"] = code_challenge_method

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/auth/realms/master/protocol/openid-connect/auth",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 302:
        response_302 = cast(Any, None)
        return response_302

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    client_id: str,
    redirect_uri: str,
    response_type: AuthorizeResponseType,
    scope: str,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
) -> Response[Any | str]:
    """Send the user here to sign in (authorization endpoint)

     The web app redirects the user's browser here. The IAM signs the user in (no consent page
    is shown) and redirects to `redirect_uri` with a one-time `code`, the `state` given, and a
    `session_state`; the code is single-use and valid for one minute. A `redirect_uri` or
    `client_id` the IAM does not know is answered with an error page, never a redirect.

    Args:
        client_id (str):
        redirect_uri (str):
        response_type (AuthorizeResponseType):
        scope (str):
        state (str | Unset):
        nonce (str | Unset):
        login_hint (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scope=scope,
        state=state,
        nonce=nonce,
        login_hint=login_hint,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    client_id: str,
    redirect_uri: str,
    response_type: AuthorizeResponseType,
    scope: str,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
) -> Any | str | None:
    """Send the user here to sign in (authorization endpoint)

     The web app redirects the user's browser here. The IAM signs the user in (no consent page
    is shown) and redirects to `redirect_uri` with a one-time `code`, the `state` given, and a
    `session_state`; the code is single-use and valid for one minute. A `redirect_uri` or
    `client_id` the IAM does not know is answered with an error page, never a redirect.

    Args:
        client_id (str):
        redirect_uri (str):
        response_type (AuthorizeResponseType):
        scope (str):
        state (str | Unset):
        nonce (str | Unset):
        login_hint (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scope=scope,
        state=state,
        nonce=nonce,
        login_hint=login_hint,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    client_id: str,
    redirect_uri: str,
    response_type: AuthorizeResponseType,
    scope: str,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
) -> Response[Any | str]:
    """Send the user here to sign in (authorization endpoint)

     The web app redirects the user's browser here. The IAM signs the user in (no consent page
    is shown) and redirects to `redirect_uri` with a one-time `code`, the `state` given, and a
    `session_state`; the code is single-use and valid for one minute. A `redirect_uri` or
    `client_id` the IAM does not know is answered with an error page, never a redirect.

    Args:
        client_id (str):
        redirect_uri (str):
        response_type (AuthorizeResponseType):
        scope (str):
        state (str | Unset):
        nonce (str | Unset):
        login_hint (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        client_id=client_id,
        redirect_uri=redirect_uri,
        response_type=response_type,
        scope=scope,
        state=state,
        nonce=nonce,
        login_hint=login_hint,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    client_id: str,
    redirect_uri: str,
    response_type: AuthorizeResponseType,
    scope: str,
    state: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
    login_hint: str | Unset = UNSET,
    code_challenge: str | Unset = UNSET,
    code_challenge_method: str | Unset = UNSET,
) -> Any | str | None:
    """Send the user here to sign in (authorization endpoint)

     The web app redirects the user's browser here. The IAM signs the user in (no consent page
    is shown) and redirects to `redirect_uri` with a one-time `code`, the `state` given, and a
    `session_state`; the code is single-use and valid for one minute. A `redirect_uri` or
    `client_id` the IAM does not know is answered with an error page, never a redirect.

    Args:
        client_id (str):
        redirect_uri (str):
        response_type (AuthorizeResponseType):
        scope (str):
        state (str | Unset):
        nonce (str | Unset):
        login_hint (str | Unset):
        code_challenge (str | Unset):
        code_challenge_method (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            client_id=client_id,
            redirect_uri=redirect_uri,
            response_type=response_type,
            scope=scope,
            state=state,
            nonce=nonce,
            login_hint=login_hint,
            code_challenge=code_challenge,
            code_challenge_method=code_challenge_method,
        )
    ).parsed
