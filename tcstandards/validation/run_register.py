"""The registers of a run's returns in one, for the rules that read a register (checked together).

When ``validate`` checks returns without HQ's store, each return's register
is its own Projects. The rules that read it (``over-budget``,
``country-required``, ``unknown-project``, ``country-not-recipient``) then run
once on the lines of many returns (:mod:`tcstandards.validation.batch`),
each line answering with the register of its own return: every project is
known here by (return, project code).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tcstandards.standard import Roles
from tcstandards.validation.register import Register, parse_recipients, register_fields
from tcstandards.validation.tables import Table

MEMBER = "_return"


class RunRegister(Register):
    """Projects known by (return number, code); ``rows``: the return number of each line asked about."""

    def __init__(self, projects: pd.DataFrame, recipients: pd.DataFrame, rows: np.ndarray) -> None:
        keys = pd.MultiIndex.from_arrays([projects[MEMBER], projects["project"]])
        super().__init__(
            codes=keys,
            region=pd.Series(projects["region"].to_numpy(), index=keys),
            budget=pd.Series(projects["budget"].to_numpy(), index=keys),
            recipients=recipients,
            owner=pd.Series(projects["owner"].to_numpy(), index=keys),
        )
        self.projects, self.rows = projects, rows

    def for_rows(self, rows: np.ndarray) -> RunRegister:
        return RunRegister(self.projects, self.recipients, rows)

    def _keys(self, codes: pd.Series, *more: pd.Series) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays([self.rows[codes.index.to_numpy()], codes, *more])

    def lookup(self, name: str, codes: pd.Series) -> pd.Series:
        table = getattr(self, name)
        return pd.Series(table.reindex(self._keys(codes)).to_numpy(), index=codes.index)

    def known(self, codes: pd.Series) -> pd.Series:
        return pd.Series(self._keys(codes).isin(self.codes), index=codes.index)

    def with_recipients(self, codes: pd.Series) -> pd.Series:
        listed = pd.MultiIndex.from_arrays([self.recipients[MEMBER], self.recipients["project"]]).unique()
        return pd.Series(self._keys(codes).isin(listed), index=codes.index)

    def recipient(self, codes: pd.Series, countries: pd.Series) -> pd.Series:
        r = self.recipients
        pairs = pd.MultiIndex.from_arrays([r[MEMBER], r["project"], r["country"]])
        return pd.Series(self._keys(codes, countries).isin(pairs), index=codes.index)

    def recipients_text(self, codes: pd.Series) -> pd.Series:
        r = self.recipients
        keys = self._keys(codes)
        shown = r[pd.MultiIndex.from_arrays([r[MEMBER], r["project"]]).isin(keys)]
        joined = shown.groupby([MEMBER, "project"])["country"].agg(";".join)
        return pd.Series(joined.reindex(keys).to_numpy(), index=codes.index)


def run_register(projects: Sequence[tuple[Table | None, Roles]]) -> RunRegister:
    """The register of each return (its own Projects, read with its version's roles; the first record
    of a code wins), in one."""
    names = ["project", "region", "budget", "owner", "recipients"]  # as register_fields lists them
    frames = [
        pd.DataFrame(
            {name: table.col(f) for name, f in zip(names, register_fields(roles), strict=True)}
        ).assign(**{MEMBER: number})
        for number, (table, roles) in enumerate(projects)
        if table is not None and len(table) and table.has(roles.project)
    ]
    if not frames:
        empty = pd.DataFrame(columns=[*names, MEMBER])
        return RunRegister(empty, pd.DataFrame(columns=[MEMBER, "project", "country"]), np.empty(0, int))
    frame = pd.concat(frames, ignore_index=True)
    first = frame["project"].notna() & ~frame.duplicated([MEMBER, "project"])
    parts = parse_recipients(frame["recipients"])
    parts = parts[parts["position"].isin(np.flatnonzero(first.to_numpy()))]
    recipients = pd.DataFrame(
        {
            MEMBER: frame[MEMBER].to_numpy()[parts["position"].to_numpy()],
            "project": frame["project"].to_numpy()[parts["position"].to_numpy()],
            "country": parts["country"].to_numpy(),
        }
    )
    return RunRegister(frame[first].reset_index(drop=True), recipients, np.empty(0, int))
