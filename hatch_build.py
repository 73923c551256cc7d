"""Hatch build hook: the wheel and the sdist carry the API reference the sandbox serves.

The reference (`/_sandbox/reference/`) is built by `scripts/reference` with the pinned Node
tools into `finchat_wrapper/sandbox/_reference/`, which git ignores: it is an output of the
specs, like a compiled file, and no one should have to merge it. A build reuses it when it
matches the specs (its manifest says so) and builds it otherwise, so a wheel never carries a
stale reference. An sdist carries it too: a wheel built from the sdist needs no Node. Editable
installs (`make setup`) serve the checkout's own `_reference/`, which `make setup` builds.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

REFERENCE = "finchat_wrapper/sandbox/_reference"


class ReferenceHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        script = runpy.run_path(str(Path(self.root) / "scripts" / "reference"))
        out = Path(self.root) / REFERENCE
        why = script["stale"](out)
        if why is not None:
            self.app.display_info(f"building the API reference ({why})")
            script["build"](out)
        # Git-ignored files are left out of a build unless they are artifacts.
        build_data["artifacts"].append(f"/{REFERENCE}/")
