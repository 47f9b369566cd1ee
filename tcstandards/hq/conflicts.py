"""Conflicts: keys of a return already reported for the same period by another office.

The warning says which line the consolidated data keep, by the same rule as
:func:`tcstandards.consolidated.resolve_conflicts`: the owner's line, and
the line received first when both offices own it (or neither does).
"""

from __future__ import annotations

import pandas as pd

from tcstandards.hq.consolidated import latest_projects, proposal_owner, record_key
from tcstandards.hq.store import Conflict, Store
from tcstandards.standard import Roles, Rule
from tcstandards.standard.rule_ids import KEY_CONFLICT
from tcstandards.validation.findings import Finding, make_finding
from tcstandards.validation.tables import Return, Table

NEW = 2**62  # the submission id of the return being merged, which has none yet


def find_conflicts(
    store: Store, typed: Return, office: str | None, period: str | None, lang: str
) -> tuple[list[Conflict], list[Finding]]:
    if office is None or period is None:
        return [], []
    conflicts: list[Conflict] = []
    findings: list[Finding] = []
    r = store.standard.roles
    rule = store.standard.rule(KEY_CONFLICT)
    for name, table in typed.tables.items():
        key = record_key(store.standard, name)
        if not len(table) or not all(table.has(k) for k in key if k != r.country):  # the country may be blank
            continue
        codes = sorted(set(table.col(r.project).dropna().astype(str))) if table.has(r.project) else None
        others = store.records(name, period=period, project_codes=codes)
        others = others[others["office"] != office]
        if not len(others):
            continue
        mine = pd.DataFrame({k: table.col(k) for k in key}).assign(position_=range(len(table)))
        if name == "projects":
            mine[r.owner] = table.col(r.owner).to_numpy()
        extra = [r.owner] if name == "projects" else []
        theirs = others[[*key, *extra, "submission_id", "office", "source_file"]]
        both = mine.merge(theirs, on=key, how="inner", suffixes=("", "_theirs"))
        if not len(both):
            continue
        mine_owns, theirs_owns, owner = _ownership(store, typed, name, both, office, period)
        for i, row in enumerate(both.itertuples(index=False)):
            key_text = " | ".join("" if pd.isna(getattr(row, k)) else str(getattr(row, k)) for k in key)
            kept = office if mine_owns[i] and not theirs_owns[i] else str(row.office)
            if mine_owns[i] and theirs_owns[i]:
                who = f"{office} + {row.office}"
            else:
                who = office if mine_owns[i] else str(row.office) if theirs_owns[i] else (owner[i] or "?")
            conflicts.append(
                Conflict(name, period, key_text, 0, int(row.submission_id), office, row.office, who)
            )
            findings.append(_finding(rule, table, name, key[0], int(row.position_), lang, {
                "key": key_text,
                "period": period,
                "other_office": row.office,
                "other_submission": f"#{int(row.submission_id)}",
                "other_file": row.source_file,
                "owner": who,
                "kept": kept,
            }))  # fmt: skip
    return conflicts, findings


def _ownership(
    store: Store, typed: Return, name: str, both: pd.DataFrame, office: str, period: str
) -> tuple[list[bool], list[bool], list[str | None]]:
    """For each matched pair: does this office own the record, does the other, and who owns it."""
    r = store.standard.roles
    if name == "projects":
        claims: list[str | None] = [None if pd.isna(v) else str(v) for v in both[r.owner]]
        mine = [bool(v) for v in both[r.owner] == office]
        theirs = [bool(v) for v in both[f"{r.owner}_theirs"] == both["office"]]
        return mine, theirs, claims
    if name == "pipeline":
        owners = proposal_owner(both[r.proposal])
    else:
        owners = both[r.project].map(_project_owners(store, typed, both, office, period))
    values = [None if pd.isna(v) else str(v) for v in owners]
    return (
        [v == office for v in values],
        [v == o for v, o in zip(values, both["office"], strict=True)],
        values,
    )


def _project_owners(store: Store, typed: Return, both: pd.DataFrame, office: str, period: str) -> pd.Series:
    """Project code -> its owner in the consolidated register once this return is merged."""
    r: Roles = store.standard.roles
    codes = sorted(both[r.project].astype(str).unique())
    stored = store.records("projects", project_codes=codes)
    projects = typed.tables.get("projects")
    if projects is not None and len(projects) and projects.has(r.owner):
        own = pd.DataFrame(
            {
                r.project: projects.col(r.project),
                r.owner: projects.col(r.owner),
                "office": office,
                "return_period": period,
                "submission_id": NEW,
            }
        )
        stored = pd.concat([stored, own[own[r.project].isin(codes)]], ignore_index=True)
    register = latest_projects(stored, r)
    if not len(register):
        return pd.Series([], dtype=object)
    return pd.Series(register[r.owner].to_numpy(), index=register[r.project].to_numpy())


def _finding(
    rule: Rule, table: Table, name: str, field: str, position: int, lang: str, params: dict[str, object]
) -> Finding:
    where = {"record": name, "field": field, "value": str(params["key"]), **table.locate(position, field)}
    return make_finding(rule, lang, params, file=table.place.file, **where)
