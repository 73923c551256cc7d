"""`finchat contacts`: the enterprise directory: authorities, organizations, departments."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import click

from . import examples_epilog
from ._common import Cli, api_command, printable, show_ids, show_record, show_rows


@click.group(
    epilog=examples_epilog(
        "finchat contacts by-authority admin",
        "finchat contacts organizations 3 --user @alice:example.org",
        "finchat contacts department 55c22c00-09e9-11ea-ab7d-a15ba0c1027b --members",
    )
)
def contacts() -> None:
    """Read the enterprise directory: authorities, organizations, departments."""


@contacts.command(
    "by-authority",
    epilog=examples_epilog(
        "finchat contacts by-authority admin",
        "finchat contacts by-authority approver | finchat send --users-from - --text 'Review'",
    ),
)
@click.argument("name")
@api_command
def contacts_by_authority(cli: Cli, name: str) -> None:
    """List the fcids of the users who hold the authority NAME, one per line."""
    with cli.client() as client:
        fcids = client.contacts.by_authority(name)
    empty = f"nobody holds the authority {printable(name)!r}"
    show_ids(cli, "fcids", fcids, empty, authority=name)


@contacts.command(
    "organizations",
    epilog=examples_epilog(
        "finchat contacts organizations 3 --user @alice:example.org",
        "finchat contacts organizations 0 --user @alice:example.org --json",
    ),
)
@click.argument("organization_type", metavar="TYPE", type=int)
@click.option(
    "--user", "fcid", required=True, metavar="FCID", help="The user the API asks for (required)."
)
@api_command
def contacts_organizations(cli: Cli, organization_type: int, fcid: str) -> None:
    """List the organizations of the type TYPE (a number)."""
    with cli.client() as client:
        found = client.contacts.organizations(organization_type, fcid=fcid)
    columns: dict[str, Callable[[dict[str, Any]], object]] = {
        "Organization": itemgetter("organization_id"),
        "Name": lambda row: row.get("organization_name", ""),
        "Type": lambda row: row.get("organization_type", ""),
        "Dispatch-supervision": lambda row: ", ".join(
            row.get("dispatch_supervision_organizations", [])
        ),
    }
    show_rows(
        cli,
        "organizations",
        [organization.to_dict() for organization in found],
        columns,
        f"{len(found)} organization(s) of type {organization_type}",
        wrap={"Name"},
        organization_type=organization_type,
    )


@contacts.command(
    "organization",
    epilog=examples_epilog(
        "finchat contacts organization 00f3", "finchat contacts organization ID --json"
    ),
)
@click.argument("organization_id")
@api_command
def contacts_organization(cli: Cli, organization_id: str) -> None:
    """Show the organization ORGANIZATION_ID."""
    with cli.client() as client:
        organization = client.contacts.organization(organization_id)
    show_record(cli, "organization", organization.to_dict())


@contacts.command(
    "department",
    epilog=examples_epilog(
        "finchat contacts department 55c22c00-09e9-11ea-ab7d-a15ba0c1027b",
        "finchat contacts department ID --with-sub-departments --members \\\\",
        "    | finchat send --users-from - --text 'All hands at 3'",
    ),
)
@click.argument("department_id")
@click.option(
    "--with-sub-departments",
    "include_sub_departments",
    is_flag=True,
    help="Count the members of every department below it as well.",
)
@click.option("--members", is_flag=True, help="Print only the members' fcids, one per line.")
@api_command
def contacts_department(
    cli: Cli, department_id: str, include_sub_departments: bool, members: bool
) -> None:
    """Show the department DEPARTMENT_ID: its parent, sub-departments and members."""
    with cli.client() as client:
        department = client.contacts.department(
            department_id, include_sub_departments=include_sub_departments
        )
    data = department.to_dict()
    if members and not cli.json:
        for fcid in data.get("fcids", []):
            click.echo(printable(fcid))
    else:
        show_record(cli, "department", data)
