"""`GET /_sandbox/` and `/_sandbox/specs/{name}`: a running sandbox says what it serves."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from finchat_wrapper.sandbox import Sandbox, serve
from finchat_wrapper.sandbox._spec import DEFAULT_SPEC_PATH, SIMULATION_SPEC_PATH, spec_file


def client(sb: Sandbox) -> httpx.Client:
    return httpx.Client(transport=sb.transport(), base_url=sb.base_url)


def test_the_index_lists_the_specs_operations_and_pages_as_json_without_the_secret(
    sandbox: Sandbox,
) -> None:
    with client(sandbox) as http:
        answer = http.get("/_sandbox/")
        assert http.get("/_sandbox").json() == answer.json()  # the spec's path, no final slash
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    index = answer.json()
    assert index["app_id"] == sandbox.app_id
    assert index["base_url"] == sandbox.base_url
    assert sandbox.secret not in answer.text
    assert set(index["specs"]) == {"finchat.yaml", "finchat-iam.yaml", "sandbox-simulation.yaml"}
    ids = {op["operation_id"] for op in index["operations"]}
    assert {"simulate_user_message", "set_callback", "sandbox_index", "get_spec"} <= ids
    say = next(op for op in index["operations"] if op["operation_id"] == "simulate_user_message")
    assert (say["method"], say["path"]) == ("POST", "/_sandbox/simulate/user-message")
    assert index["pages"]["ui"] == sandbox.ui_url
    assert index["pages"]["reference"] == "http://sandbox.localhost/_sandbox/reference/"


def test_a_browser_gets_the_index_as_a_page_of_links(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        answer = http.get("/_sandbox/", headers={"Accept": "text/html,application/xhtml+xml"})
    assert answer.headers["content-type"].startswith("text/html")
    assert (
        '<a href="http://sandbox.localhost/_sandbox/specs/sandbox-simulation.yaml">' in answer.text
    )
    assert "<code>/_sandbox/simulate/user-message</code>" in answer.text
    assert sandbox.secret not in answer.text


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("finchat.yaml", DEFAULT_SPEC_PATH),
        ("finchat-iam.yaml", spec_file("finchat-iam.yaml")),
        ("sandbox-simulation.yaml", SIMULATION_SPEC_PATH),
    ],
)
def test_each_spec_is_served_byte_for_byte(sandbox: Sandbox, name: str, path: object) -> None:
    with client(sandbox) as http:
        answer = http.get(f"/_sandbox/specs/{name}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/yaml"
    assert answer.content == spec_file(name).read_bytes()


def test_an_unknown_spec_name_is_refused(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        answer = http.get("/_sandbox/specs/..%2F..%2Fpyproject.toml")
    assert answer.status_code in (400, 404)
    assert "[project]" not in answer.text


def test_the_pages_the_index_links_are_served(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        pages = http.get("/_sandbox/").json()["pages"]
        assert set(pages) == {"ui", "reference", "openid_configuration"}
        for url in pages.values():
            assert http.get(url).status_code == 200, url
    assert sandbox.pages() == pages


def test_a_page_not_mounted_is_not_linked(sandbox: Sandbox) -> None:
    from finchat_wrapper.sandbox._index import web_pages

    assert set(web_pages(Starlette(routes=[]), "http://x")) == {"openid_configuration"}


def test_the_index_follows_the_control_api_guard(sandbox: Sandbox) -> None:
    with client(sandbox) as http:
        answer = http.get("/_sandbox/", headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403


@pytest.mark.network
def test_a_sandbox_bound_to_every_interface_gives_a_loopback_url_that_works() -> None:
    # Bound to 0.0.0.0 for the length of one loopback request; nothing else is sent anywhere.
    with Sandbox() as sb, serve(sb, host="0.0.0.0", port=0) as base_url:  # noqa: S104
        assert base_url.startswith("http://127.0.0.1:")
        answer = httpx.get(base_url + "/_sandbox/")
    assert answer.status_code == 200
    assert answer.json()["base_url"] == base_url
