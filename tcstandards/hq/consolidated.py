"""The consolidated data: what the store's current submissions say, one record per key.

Two offices may report the same key for one period (a conflict).  Nothing is
overwritten in the store: both lines stay with their submissions.  The
current view keeps the line of the office that **owns** the record, and when
neither office owns it, the line received first:

* a project belongs to its administering office (the field of role ``owner``,
  :class:`~tcstandards.standard.Roles`);
* a Finance or Results line belongs to the administering office of its
  project in the consolidated register;
* a pipeline proposal belongs to the office its id starts with
  (``DAKAR-1997-004`` -> DAKAR).

The consolidated register holds, for each project code, the project record
of the latest period in the current data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tcstandards.hq.store import Store
from tcstandards.standard import Roles, Standard
from tcstandards.validation.register import Register, empty_register, register_fields, register_from_frame


def history_fields(roles: Roles) -> list[str]:
    """The fields of the earlier Finance lines that cross-quarter rules read."""
    return [roles.project, roles.country, roles.period, roles.spent_usd, roles.cumulative_usd]


def in_roles(
    frame: pd.DataFrame, roles: Roles, names: Sequence[str], keep: Sequence[str] = ()
) -> pd.DataFrame:
    """The fields of the given roles, each column named after its role, and the columns ``keep`` as they are.

    The report works on such frames, so that its code names what a column
    means, whatever the field is called in the version of the standard.
    """
    fields = {getattr(roles, name): name for name in names}
    if not len(frame):
        return pd.DataFrame(columns=[*names, *keep])
    return frame[[*fields, *keep]].rename(columns=fields)


def record_key(standard: Standard, record: str) -> list[str]:
    return list(standard.record_types[record].key)


def proposal_owner(proposal_ids: pd.Series) -> pd.Series:
    return proposal_ids.astype(str).str.split("-", n=1).str[0]


def latest_projects(projects: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """One row per project code: the one of the latest period (owner first within a period)."""
    if not len(projects):
        return projects
    ordered = projects.assign(_owns=projects["office"] == projects[roles.owner]).sort_values(
        ["return_period", "_owns", "submission_id"], ascending=[False, False, True], kind="stable"
    )
    return ordered.drop_duplicates(roles.project).drop(columns="_owns").reset_index(drop=True)


def owners(store: Store, record: str, frame: pd.DataFrame) -> pd.Series:
    """The office owning each row of ``frame`` (a record table with provenance)."""
    roles = store.standard.roles
    if record == "projects":
        return frame[roles.owner]
    if record == "pipeline":
        return proposal_owner(frame[roles.proposal])
    codes = sorted(frame[roles.project].dropna().astype(str).unique())
    register = latest_projects(store.records("projects", project_codes=codes), roles)
    if not len(register):
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    owner = pd.Series(register[roles.owner].to_numpy(), index=register[roles.project].to_numpy())
    return frame[roles.project].map(owner)


def resolve_conflicts(store: Store, record: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per key and period: the owner's, else the first received."""
    key = [*record_key(store.standard, record), "return_period"]
    duplicated = frame.duplicated(key, keep=False)
    if not duplicated.any():
        return frame
    owns = frame["office"] == owners(store, record, frame)
    ranked = frame.assign(_owns=owns.fillna(False)).sort_values(
        ["_owns", "submission_id"], ascending=[False, True], kind="stable"
    )
    kept = ranked.drop_duplicates(key).drop(columns="_owns")
    return kept.sort_values(["submission_id", "position"]).reset_index(drop=True)


def current_records(
    store: Store, record: str, *, project_codes: Sequence[str] | None = None, period: str | None = None
) -> pd.DataFrame:
    """The consolidated records of one type, conflicts resolved, with provenance columns."""
    frame = store.records(record, project_codes=project_codes, period=period)
    return resolve_conflicts(store, record, frame)


class StoreReference:
    """HQ's consolidated data as a :class:`~tcstandards.register.Reference` for checking a return."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def register(self, codes: Sequence[str]) -> Register:
        register = empty_register()
        roles = self.store.standard.roles
        if codes:
            projects = latest_projects(self.store.records("projects", project_codes=codes), roles)
            if len(projects):
                frame = projects[register_fields(roles)].reset_index(drop=True)
                register = register_from_frame(frame, roles)
        register.from_store = True
        return register

    def finance_history(self, codes: Sequence[str], before: str) -> pd.DataFrame:
        roles = self.store.standard.roles
        columns = history_fields(roles)
        lines = current_records(self.store, "finance", project_codes=codes)
        if not len(lines):
            return pd.DataFrame(columns=columns)
        earlier = lines[lines[roles.period] < before]
        return earlier[columns].reset_index(drop=True)
