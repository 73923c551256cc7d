"""Sign in with FinChat: a web app that shows who is signed in.

Against a local sandbox (no FinChat account needed):

    finchat sandbox --port 8008          # prints FINCHAT_BASE_URL, FINCHAT_APP_ID, FINCHAT_SECRET
    export FINCHAT_BASE_URL=http://127.0.0.1:8008 FINCHAT_APP_ID=... FINCHAT_SECRET=...
    python examples/signin_app.py        # then open http://127.0.0.1:5000/

Against a FinChat deployment, the same with its host and your app's credentials, and your
callback URL (`http(s)://<your app>/auth/callback`) registered as the app's redirect URI.
"""

from __future__ import annotations

import os
import secrets
from html import escape

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from finchat_wrapper.identity import AsyncIdentityClient, SignIn

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>FinChat sign-in example</title></head><body>{}</body></html>"""


def create_app(
    identity: AsyncIdentityClient | None = None, *, cookie_key: str | None = None
) -> Starlette:
    identity = identity or AsyncIdentityClient.from_env()
    # A fixed key (SIGNIN_COOKIE_KEY) keeps users signed in across restarts.
    key = cookie_key or os.environ.get("SIGNIN_COOKIE_KEY") or secrets.token_urlsafe(32)
    signin = SignIn(identity, secret_key=key)

    async def home(request: Request) -> Response:
        user = signin.user(request)
        if user is None:
            return HTMLResponse(
                _PAGE.format(
                    "<p>Nobody is signed in.</p>"
                    "<p><a id='signin' href='/auth/login'>Sign in with FinChat</a></p>"
                )
            )
        body = (
            f"<p>Signed in as <strong id='name'>{escape(user.name or '')}</strong></p>"
            f"<p>fcid: <code id='fcid'>{escape(user.fcid or '')}</code></p>"
            f"<p>organization: <code id='organization'>{escape(user.organization_id or '')}</code>"
            "</p><p><a href='/me'>userinfo</a></p>"
            "<form method='post' action='/auth/logout'><button>Sign out</button></form>"
        )
        return HTMLResponse(_PAGE.format(body))

    async def me(request: Request) -> Response:
        # The session's access token is refreshed when due (one refresh per user at a time).
        session = await signin.session(request)
        if session is None:
            return JSONResponse({"error": "not signed in"}, status_code=401)
        info = await identity.userinfo(session)
        return JSONResponse(info.to_dict())

    return Starlette(
        routes=[Route("/", home), Route("/me", me), Mount("/auth", routes=signin.routes())]
    )


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
