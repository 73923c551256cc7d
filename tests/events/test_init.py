from __future__ import annotations

import finchat_wrapper.events as events


def test_all_is_sorted_and_names_exactly_the_public_names() -> None:
    assert events.__all__ == sorted(events.__all__)
    # "@py_builtins" and the like: pytest rewrites the asserts of its plugins' packages, ours too.
    public = {name for name in vars(events) if not name.startswith(("_", "@"))}
    assert set(events.__all__) == public


def test_every_name_in_all_exists() -> None:
    for name in events.__all__:
        assert getattr(events, name) is not None
