"""`finchat docs-check DOC.md`: does the upstream API document still say what the spec says?

Exit status: 0 nothing to act on (document issues the spec has decided are printed, and do not
count); 1 differences, undecided document issues or unread parts (listed); 2 the file is not an
upstream API document at all, or a spec file cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from .._docs_check import (
    SPEC_GLOB,
    DocumentError,
    SpecError,
    check,
    default_spec_dir,
    default_specs,
    print_text,
    to_json,
)
from . import examples_epilog

_PATH = click.Path(path_type=Path, dir_okay=False)


@click.command(
    "docs-check",
    epilog=examples_epilog(
        "finchat docs-check ../shared/docs/finchat-server-api-rev2.md",
        "finchat docs-check new-api.md --spec openapi/finchat.yaml --spec openapi/finchat-iam.yaml",
        "finchat docs-check new-api.md --json | jq '.summary'",
    ),
)
@click.argument("document", type=_PATH)
@click.option(
    "--spec",
    "specs",
    type=_PATH,
    multiple=True,
    help=(
        f"A spec file to compare with; repeat for several. Default: every {SPEC_GLOB} of"
        f" {default_spec_dir()} (the checkout's openapi/, or the copies an installed package"
        " carries), finchat.yaml first."
    ),
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON, for tools.")
@click.pass_context
def docs_check(ctx: click.Context, document: Path, specs: tuple[Path, ...], as_json: bool) -> None:
    """Compare an upstream FinChat API document (markdown) with the OpenAPI spec files.

    Lists, per operation, what the document has that the spec lacks and the reverse, type and
    required-flag changes, changed methods and moved paths; then the error envelope, errcodes,
    message types and events, each with its document line. Also lists what the document says two
    ways (with the spec's decision when it has one) and the parts it could not read.

    Exits 0 when nothing needs acting on, 1 on any difference, undecided document issue or unread
    part, 2 if the file is not such a document or a spec file cannot be read.
    """
    paths = list(specs) or default_specs()
    try:
        comparison = check(document, paths)
    except (DocumentError, SpecError) as exc:
        which = "document" if isinstance(exc, DocumentError) else "spec"
        if as_json:
            error = {"in": which, "path": str(document), "message": str(exc)}
            if which == "spec":
                error["path"] = ", ".join(map(str, paths))
            click.echo(json.dumps({"error": error}, ensure_ascii=False))
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]docs-check:[/] cannot read the {which}: {escape(str(exc))}"
        )
        ctx.exit(2)
    if as_json:
        click.echo(to_json(comparison, str(document), [str(path) for path in paths]))
    else:
        # soft_wrap: one item per line, also in CI logs and pipes, where the width is unknown.
        print_text(comparison, Console(highlight=False, soft_wrap=True))
    ctx.exit(0 if comparison.clean else 1)
