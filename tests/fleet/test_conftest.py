"""The fleet tests' own harness: without redis-server they skip, except in CI where they fail."""

from __future__ import annotations

import pytest

from .conftest import redis_server_binary


def test_without_redis_server_the_tests_skip_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="redis-server is not on PATH"):
        redis_server_binary()


def test_without_redis_server_in_ci_the_tests_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true must run them"):
        redis_server_binary()
