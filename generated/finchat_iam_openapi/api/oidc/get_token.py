from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization_code_grant import AuthorizationCodeGrant
from ...models.o_auth_error import OAuthError
from ...models.refresh_token_grant import RefreshTokenGrant
from ...models.token_set import TokenSet
from ...types import Response


def _get_kwargs(
    *,
    body: AuthorizationCodeGrant | RefreshTokenGrant,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/realms/master/protocol/openid-connect/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthError | TokenSet | None:
    if response.status_code == 200:
        response_200 = TokenSet.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OAuthError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OAuthError.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OAuthError | TokenSet]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AuthorizationCodeGrant | RefreshTokenGrant,
) -> Response[OAuthError | TokenSet]:
    """Exchange a code, or a refresh token, for tokens (token endpoint)

     Called by the app's back end (it needs the secret), with the app authenticated by
    `Authorization: Basic base64(client_id:secret)` and a form body. The `authorization_code`
    grant exchanges the code of the redirect; the `refresh_token` grant renews the tokens once
    the access token has expired. Both answer a `TokenSet`.

    Args:
        body (AuthorizationCodeGrant | RefreshTokenGrant): The form body of the token endpoint,
            one grant or the other.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | TokenSet]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AuthorizationCodeGrant | RefreshTokenGrant,
) -> OAuthError | TokenSet | None:
    """Exchange a code, or a refresh token, for tokens (token endpoint)

     Called by the app's back end (it needs the secret), with the app authenticated by
    `Authorization: Basic base64(client_id:secret)` and a form body. The `authorization_code`
    grant exchanges the code of the redirect; the `refresh_token` grant renews the tokens once
    the access token has expired. Both answer a `TokenSet`.

    Args:
        body (AuthorizationCodeGrant | RefreshTokenGrant): The form body of the token endpoint,
            one grant or the other.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | TokenSet
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AuthorizationCodeGrant | RefreshTokenGrant,
) -> Response[OAuthError | TokenSet]:
    """Exchange a code, or a refresh token, for tokens (token endpoint)

     Called by the app's back end (it needs the secret), with the app authenticated by
    `Authorization: Basic base64(client_id:secret)` and a form body. The `authorization_code`
    grant exchanges the code of the redirect; the `refresh_token` grant renews the tokens once
    the access token has expired. Both answer a `TokenSet`.

    Args:
        body (AuthorizationCodeGrant | RefreshTokenGrant): The form body of the token endpoint,
            one grant or the other.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | TokenSet]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AuthorizationCodeGrant | RefreshTokenGrant,
) -> OAuthError | TokenSet | None:
    """Exchange a code, or a refresh token, for tokens (token endpoint)

     Called by the app's back end (it needs the secret), with the app authenticated by
    `Authorization: Basic base64(client_id:secret)` and a form body. The `authorization_code`
    grant exchanges the code of the redirect; the `refresh_token` grant renews the tokens once
    the access token has expired. Both answer a `TokenSet`.

    Args:
        body (AuthorizationCodeGrant | RefreshTokenGrant): The form body of the token endpoint,
            one grant or the other.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | TokenSet
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
