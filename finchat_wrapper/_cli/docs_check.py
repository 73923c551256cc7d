"""`finchat docs-check DOC.md`: does the upstream API document still say what the spec says?

Exit status: 0 no difference, 1 differences (listed), 2 the document or the spec cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from .._docs_check import DocumentError, SpecError, check
from .._docs_check._report import print_text, to_json
from . import examples_epilog

# The spec of the checkout this package runs from (an editable install, as in development and CI).
DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"

_PATH = click.Path(path_type=Path, dir_okay=False)


@click.command(
    "docs-check",
    epilog=examples_epilog(
        "finchat docs-check ../shared/docs/finchat-server-api.md",
        "finchat docs-check new-api.md --spec openapi/finchat.yaml",
        "finchat docs-check new-api.md --json | jq '.differences | length'",
    ),
)
@click.argument("document", type=_PATH)
@click.option(
    "--spec",
    "spec",
    type=_PATH,
    default=DEFAULT_SPEC,
    show_default="openapi/finchat.yaml of this checkout",
    help="The OpenAPI spec to compare with.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON, for tools.")
@click.pass_context
def docs_check(ctx: click.Context, document: Path, spec: Path, as_json: bool) -> None:
    """Compare an upstream FinChat API document (markdown) with the OpenAPI spec.

    Lists, per operation, what the document has that the spec lacks, what the spec has that the
    document lacks, and type or required-flag mismatches; then the error envelope, errcodes,
    message types and events. Exits 1 on any difference, 2 if a file cannot be read.
    """
    try:
        comparison = check(document, spec)
    except (DocumentError, SpecError) as exc:
        which = "document" if isinstance(exc, DocumentError) else "spec"
        source = document if isinstance(exc, DocumentError) else spec
        if as_json:
            click.echo(
                json.dumps(
                    {"error": {"in": which, "path": str(source), "message": str(exc)}},
                    ensure_ascii=False,
                )
            )
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[bold red]docs-check:[/] cannot read the {which} {source}: {exc}", markup=True
        )
        ctx.exit(2)
    if as_json:
        click.echo(to_json(comparison, str(document), str(spec)))
    else:
        # soft_wrap: one difference per line, also in CI logs, where the width is unknown.
        print_text(comparison, Console(highlight=False, soft_wrap=True))
    ctx.exit(1 if comparison.differences else 0)
