"""An import that needs an extra fails saying which extra, not only which module.

A subpackage built on an extra calls `needs(extra, *modules)` before its imports: when one of the
modules is missing, the `ModuleNotFoundError` names the extra and the `pip install` to run, and
keeps the missing module's `name` (so the CLI can say it for its commands too).
"""

from __future__ import annotations

import importlib.util

__all__ = ["needs"]


def needs(extra: str, *modules: str) -> None:
    for module in modules:
        if importlib.util.find_spec(module) is None:
            raise ModuleNotFoundError(
                f"this needs the {extra} extra ({module} is not installed): "
                f"pip install 'finchat[{extra}]'",
                name=module,
            )
