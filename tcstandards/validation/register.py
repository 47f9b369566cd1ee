"""The project register Finance and Results lines resolve against.

It is built from the Projects of the return itself and, when HQ provides one,
merged with the consolidated register of the store.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from tcstandards.standard import Roles
from tcstandards.validation.tables import Table


@dataclass
class Register:
    """Each project's facts that lines are checked against, indexed by project code (see :class:`Roles`)."""

    codes: pd.Index
    region: pd.Series  # project -> region
    budget: pd.Series  # project -> budget_usd
    recipients: pd.DataFrame  # columns project, country: one row per recipient
    from_store: bool = False
    owner: pd.Series | None = None  # project -> owner (the office that owns its lines)

    # What rules ask of a register, for the lines of a table (``codes``: their project codes). A register
    # of many returns (:class:`tcstandards.validation.batch.RunRegister`) answers for each line's return.

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        """Each line's project's ``name`` (``region``, ``budget``, ``owner``), missing if unknown."""
        table = getattr(self, name)
        if table is None:
            return pd.Series([None] * len(codes), index=codes.index, dtype=object)
        return codes.map(table)

    def known(self, codes: pd.Series) -> pd.Series:
        """The lines whose project is in the register."""
        return codes.isin(self.codes)

    def with_recipients(self, codes: pd.Series) -> pd.Series:
        """The lines whose project lists recipient countries."""
        return codes.isin(pd.Index(self.recipients["project"].unique()))

    def recipient(self, codes: pd.Series, countries: pd.Series) -> pd.Series:
        """The lines whose country is one of their project's recipients."""
        pairs = pd.MultiIndex.from_arrays([self.recipients["project"], self.recipients["country"]])
        return pd.Series(pd.MultiIndex.from_arrays([codes, countries]).isin(pairs), index=codes.index)

    def recipients_text(self, codes: pd.Series) -> pd.Series:
        """Each line's project's recipient countries, ``;``-separated."""
        shown = self.recipients[self.recipients["project"].isin(codes)]
        return codes.map(shown.groupby("project")["country"].agg(";".join))


def register_fields(roles: Roles) -> list[str]:
    """The fields of a Projects record that a register holds."""
    return [roles.project, roles.region, roles.budget_usd, roles.owner, roles.recipients]


class Reference(Protocol):
    """What HQ's consolidated data offer a return being checked (see :mod:`tcstandards.consolidated`)."""

    def register(self, codes: Sequence[str]) -> Register:
        """The consolidated register, for the given project codes."""
        ...

    def finance_history(self, codes: Sequence[str], before: str) -> pd.DataFrame:
        """Finance lines of earlier periods for these projects (current data only)."""
        ...


def split_recipients(value: str) -> list[tuple[str, float]]:
    parts = []
    for part in value.split(";"):
        code, _, pct = part.strip().partition(":")
        if not code.strip():
            continue
        try:
            number = float(pct) if pct.strip() else math.nan
        except ValueError:
            number = math.nan
        parts.append((code.strip().upper(), number))
    return parts


def parse_recipients(codes: pd.Series) -> pd.DataFrame:
    """``SEN:60;MLI:40`` -> one row per country: position, country, pct (NaN when not given).

    Each distinct text is parsed once; rows are then joined to their parts.
    """
    s = codes.dropna()
    distinct = [
        (value, country, pct) for value in s.unique() for country, pct in split_recipients(str(value))
    ]
    parts = pd.DataFrame(distinct, columns=["value", "country", "pct"])
    rows = pd.DataFrame({"position": s.index.astype(int), "value": s.to_numpy()})
    merged = rows.merge(parts, on="value", how="inner", sort=False)
    return merged[["position", "country", "pct"]].reset_index(drop=True)


def build_register(projects: Table | None, roles: Roles, recipients: pd.DataFrame | None = None) -> Register:
    """The register of one return's Projects table."""
    if projects is None or not len(projects) or not projects.has(roles.project):
        return empty_register()
    columns = {name: projects.col(name) for name in register_fields(roles)}
    return register_from_frame(pd.DataFrame(columns, index=projects.frame.index), roles, recipients)


def empty_register() -> Register:
    empty = pd.Series([], dtype=object)
    return Register(pd.Index([]), empty, empty, pd.DataFrame({"project": [], "country": []}), owner=empty)


def register_from_frame(
    frame: pd.DataFrame, roles: Roles, recipients: pd.DataFrame | None = None
) -> Register:
    """A register from project records (the first record of each code wins).

    ``frame`` has the columns of :func:`register_fields` and a 0..n-1 index.
    """
    if not len(frame):
        return empty_register()
    codes = frame[roles.project]
    first = codes.notna() & ~codes.duplicated()
    unique = frame[first]
    if recipients is None:
        recipients = parse_recipients(frame[roles.recipients])
    recipients = recipients[recipients["position"].isin(unique.index)]
    index = pd.Index(unique[roles.project])
    return Register(
        codes=index,
        region=pd.Series(unique[roles.region].to_numpy(), index=index),
        budget=pd.Series(unique[roles.budget_usd].to_numpy(), index=index),
        recipients=pd.DataFrame(
            {"project": codes.iloc[recipients["position"]].to_numpy(), "country": recipients["country"]}
        ),
        owner=pd.Series(unique[roles.owner].to_numpy(), index=index),
    )


def merge_registers(own: Register, other: Register) -> Register:
    """This return's projects first, then those of another source (the consolidated store)."""
    extra = other.codes.difference(own.codes)
    return Register(
        codes=own.codes.append(extra),
        region=pd.concat([own.region, other.region.reindex(extra)]),
        budget=pd.concat([own.budget, other.budget.reindex(extra)]),
        owner=pd.concat([_owner(own), _owner(other).reindex(extra)]),
        recipients=pd.concat(
            [own.recipients, other.recipients[other.recipients["project"].isin(extra)]],
            ignore_index=True,
        ),
        from_store=True,
    )


def _owner(register: Register) -> pd.Series:
    if register.owner is None:
        return pd.Series([None] * len(register.codes), index=register.codes, dtype=object)
    return register.owner
