"""The fields the code reads by their meaning: each is named in ``schemas/`` by an ``x-role``.

HQ, the report and the IATI export need particular fields: the project a
line belongs to, its quarter, the amount spent... They never spell the
field's name. Each record schema marks such a field with ``"x-role"`` and
the code asks the standard for it (``standard.roles.spent_usd`` is
``"expenditure_usd"`` in TCDS 1.0), so a version that renames a field keeps
its role and the code follows it.

Loading checks the contract both ways: every role below is given to a field,
a role names the same field in every record type that has it, and no field
takes a role that is not here. The attributes of :class:`Roles` are the
whole list of roles; ``docs/rule-catalogue.md`` shows them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tcstandards.common.errors import StandardError

ROLE_KEY = "x-role"


@dataclass(frozen=True)
class Roles:
    """Role -> field name, for one version of the standard."""

    version: str  # Cover: the version of the standard the return follows
    office: str  # Cover: the reporting office
    prepared_on: str  # Cover: the day the return was prepared (orders an office's versions)
    revision: str  # Cover: a corrected return's revision number (orders an office's versions first)
    period: str  # the quarter of the return and of each line
    project: str  # the project a record belongs to (its symbol)
    title: str  # a project's or a proposal's title
    owner: str  # the office administering a project, which owns its records
    technical_unit: str  # the HQ unit backstopping a project
    region: str  # a project's ILO region
    recipients: str  # a project's recipient countries (codes with shares)
    source: str  # a project's source of funds
    donor: str  # a project's donor
    programme: str  # a project's or a proposal's global programme
    sector: str  # a project's OECD DAC sector
    project_status: str  # a project's status
    start: str  # a project's start date
    end: str  # a project's end date
    budget_usd: str  # a project's approved budget
    country: str  # the country of a Finance or Results line
    allocated_usd: str  # allocations approved in the quarter (approvals)
    spent_usd: str  # expenditure of the quarter, in USD
    cumulative_usd: str  # expenditure since the start of the project, in USD
    currency: str  # the local currency of a Finance line
    spent_local: str  # expenditure of the quarter, in the local currency
    indicator: str  # a Results line's indicator
    target: str  # an indicator's target to date
    actual: str  # an indicator's actual value to date
    proposal: str  # a pipeline proposal's id
    partner_type: str  # the kind of partner a proposal goes to
    partner: str  # the funding partner a proposal goes to (a donor code)
    requested_usd: str  # the amount a proposal asks for
    granted_usd: str  # the amount approved for a proposal
    proposal_status: str  # a proposal's status


ROLE_NAMES = tuple(f.name for f in dataclasses.fields(Roles))


def read_roles(records: Mapping[str, Mapping[str, Any]]) -> Roles:
    """The roles given by the record schemas (file name -> schema); a :class:`StandardError` if incomplete."""
    found: dict[str, tuple[str, str]] = {}  # role -> (field, file)
    for file, schema in records.items():
        for field, prop in schema.get("properties", {}).items():
            role = prop.get(ROLE_KEY)
            if role is None:
                continue
            if role not in ROLE_NAMES:
                raise StandardError(
                    f"{file}: field {field!r} has the role {role!r}, which the package does not know "
                    f"(roles: {', '.join(ROLE_NAMES)})"
                )
            earlier = found.setdefault(role, (field, file))
            if earlier[0] != field:
                raise StandardError(
                    f"{file}: field {field!r} has the role {role!r}, which is field {earlier[0]!r} "
                    f"in {earlier[1]}: a role names one field"
                )
    missing = [role for role in ROLE_NAMES if role not in found]
    if missing:
        names = ", ".join(repr(r) for r in missing)
        raise StandardError(f"no field has the role {names} ({ROLE_KEY}), which the package reads")
    return Roles(**{role: field for role, (field, _) in found.items()})


ROLE = Roles(**{name: name for name in ROLE_NAMES})
"""Each role under its own name, for frames whose columns are named by role
(:func:`tcstandards.hq.consolidated.in_roles`): ``frame[ROLE.spent_usd]``. Typed, so a
misspelt role is an error for mypy, not an empty column."""
