"""`Steps`: how a driver goes through a flow written without I/O.

The token flow (`_auth`) and the sign-in flows (`identity`) are generators that yield effects
(a request to send, a lock to take, ...) and are sent back what each effect gave. Their drivers,
one that blocks and one that awaits for each flow, differ only in how they carry an effect out;
`Steps` is the rest, written once: iterate it for the effects, `answer()` what an effect gave
before the next step, read `result` when the iteration has ended. `with` closes the flow however
the driver leaves it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Generic, Self, TypeVar

__all__ = ["Steps"]

E = TypeVar("E")


class Steps(Generic[E]):
    """The effects of `flow`, one step at a time (see the module docstring)."""

    __slots__ = ("_answer", "_flow", "result")

    def __init__(self, flow: Generator[E, Any, Any]) -> None:
        self._flow = flow
        self._answer: Any = None
        self.result: Any = None

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> E:
        answer, self._answer = self._answer, None
        try:
            return self._flow.send(answer)
        except StopIteration as stop:
            self.result = stop.value
            raise StopIteration from None

    def answer(self, value: Any) -> None:
        """What the flow is sent at its next step (None unless given)."""
        self._answer = value

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._flow.close()
