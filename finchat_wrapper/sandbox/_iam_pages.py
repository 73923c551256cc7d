"""The HTML the sandbox IAM shows a person: the sign-in page listing the world's users, and the
error page for a request that must not be redirected (unknown app, unregistered redirect_uri)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from starlette.responses import HTMLResponse

# The pages are for a person at a browser; nothing on them may be framed by another site.
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; color: #1d2733; }
h1 { font-size: 1.4rem; } .note { color: #8a2b2b; }
button { display: block; width: 100%; margin: .4rem 0; padding: .6rem .8rem; text-align: left;
         font-size: 1rem; border: 1px solid #c5ced8; border-radius: 6px; background: #f6f8fa; }
button small { color: #5b6875; margin-left: .5rem; }
"""


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def sign_in_page(
    *,
    action: str,
    app_name: str,
    users: Sequence[tuple[str, str]],
    request_params: Mapping[str, str],
    mark: str,
    note: str | None = None,
) -> HTMLResponse:
    """The page listing (fcid, name) users; choosing one repeats the request with its login_hint."""
    hidden = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>"
        for k, v in {**request_params, mark: "1"}.items()
        if k != "login_hint"
    )
    buttons = "".join(
        f"<button type='submit' name='login_hint' value='{escape(fcid)}'>{escape(name)}"
        f"<small>{escape(fcid)}</small></button>"
        for fcid, name in users
    )
    shown_note = f"<p class='note'>{escape(note)}</p>" if note else ""
    body = (
        "<h1>Sign in with FinChat (sandbox)</h1>"
        f"<p><strong>{escape(app_name)}</strong> asks who you are. Choose a user of this "
        "sandbox's world:</p>"
        f"{shown_note}<form method='get' action='{escape(action)}'>{hidden}{buttons}</form>"
    )
    return _page("Sign in with FinChat", body, 200)


def error_page(message: str, status: int = 400) -> HTMLResponse:
    """An error shown to the person, never a redirect: the redirect target cannot be trusted."""
    body = (
        "<h1>Sign-in request refused</h1>"
        f"<p class='note'>{escape(message)}</p>"
        "<p>The app that sent you here is misconfigured; nothing was sent back to it.</p>"
    )
    return _page("Sign-in request refused", body, status)
