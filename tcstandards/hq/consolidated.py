"""The consolidated data: what the store's current submissions say, one record per key.

Two offices may report the same key for one period (a conflict).  Nothing is
overwritten in the store: both lines stay with their submissions.  The
current view keeps the line of the office that **owns** the record, and when
neither office owns it, the line received first:

* a project belongs to its ``admin_unit`` (the administering office);
* a Finance or Results line belongs to the ``admin_unit`` of its project in
  the consolidated register;
* a pipeline proposal belongs to the office its id starts with
  (``DAKAR-1997-004`` -> DAKAR).

The consolidated register holds, for each project code, the project record
of the latest period in the current data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tcstandards.hq.store import Store
from tcstandards.standard import latest_version, load_standard
from tcstandards.validation.register import Register, empty_register, register_from_frame

REGISTER_COLUMNS = ["project_code", "ilo_region", "approved_budget_usd", "admin_unit", "recipient_countries"]
HISTORY_COLUMNS = ["project_code", "country_code", "period", "expenditure_usd", "cumulative_expenditure_usd"]


def record_key(record: str) -> list[str]:
    return list(load_standard(latest_version()).record_types[record].key)


def proposal_owner(proposal_ids: pd.Series) -> pd.Series:
    return proposal_ids.astype(str).str.split("-", n=1).str[0]


def latest_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """One row per project code: the one of the latest period (owner first within a period)."""
    if not len(projects):
        return projects
    ordered = projects.assign(_owns=projects["office"] == projects["admin_unit"]).sort_values(
        ["return_period", "_owns", "submission_id"], ascending=[False, False, True], kind="stable"
    )
    return ordered.drop_duplicates("project_code").drop(columns="_owns").reset_index(drop=True)


def owners(store: Store, record: str, frame: pd.DataFrame) -> pd.Series:
    """The office owning each row of ``frame`` (a record table with provenance)."""
    if record == "projects":
        return frame["admin_unit"]
    if record == "pipeline":
        return proposal_owner(frame["proposal_id"])
    codes = sorted(frame["project_code"].dropna().astype(str).unique())
    register = latest_projects(store.records("projects", project_codes=codes))
    if not len(register):
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    owner = pd.Series(register["admin_unit"].to_numpy(), index=register["project_code"].to_numpy())
    return frame["project_code"].map(owner)


def resolve_conflicts(store: Store, record: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Keep one row per key and period: the owner's, else the first received."""
    key = [*record_key(record), "return_period"]
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
        if codes:
            projects = latest_projects(self.store.records("projects", project_codes=codes))
            if len(projects):
                register = register_from_frame(projects[REGISTER_COLUMNS].reset_index(drop=True))
        register.from_store = True
        return register

    def finance_history(self, codes: Sequence[str], before: str) -> pd.DataFrame:
        lines = current_records(self.store, "finance", project_codes=codes)
        if not len(lines):
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        earlier = lines[lines["period"] < before]
        return earlier[HISTORY_COLUMNS].reset_index(drop=True)
