"""`Steps`: the one way a driver goes through a flow without I/O."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from finchat_wrapper._steps import Steps


def _flow(log: list[Any]) -> Generator[str, Any, str]:
    try:
        log.append((yield "first"))
        log.append((yield "second"))
        return "done"
    finally:
        log.append("closed")


def test_each_effect_gets_the_answer_given_before_the_next_step_and_none_otherwise() -> None:
    log: list[Any] = []
    with Steps(_flow(log)) as steps:
        effects = []
        for effect in steps:
            effects.append(effect)
            if effect == "first":
                steps.answer(42)
    assert effects == ["first", "second"]
    assert log == [42, None, "closed"]
    assert steps.result == "done"


def _drive(steps: Steps[str], fail_at: str | None = None) -> None:
    with steps:
        for effect in steps:
            if effect == fail_at:
                raise RuntimeError("driver failed")
            steps.answer("answer")


def test_leaving_the_block_early_closes_the_flow_and_leaves_no_result() -> None:
    log: list[Any] = []
    steps = Steps(_flow(log))
    with pytest.raises(RuntimeError, match="driver failed"):
        _drive(steps, fail_at="first")
    assert log == ["closed"]
    assert steps.result is None


def test_an_error_of_the_flow_reaches_the_driver() -> None:
    def failing() -> Generator[str, Any, None]:
        yield "request"
        raise ValueError("bad answer")

    with pytest.raises(ValueError, match="bad answer"):
        _drive(Steps(failing()))
