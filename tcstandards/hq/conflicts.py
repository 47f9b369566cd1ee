"""Conflicts: keys of a return already reported for the same period by another office.

The warning says which line the consolidated data keep, by the same rule as
:func:`tcstandards.consolidated.resolve_conflicts`: the owner's line, and
the line received first when both offices own it (or neither does).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from tcstandards.common.i18n import ui
from tcstandards.hq.consolidated import latest_projects, proposal_owner, record_key
from tcstandards.hq.store import Conflict, Store
from tcstandards.standard import Roles, Rule, Standard, versions
from tcstandards.standard.model import format_setting
from tcstandards.standard.rule_ids import KEY_CONFLICT
from tcstandards.validation.findings import Finding, make_finding
from tcstandards.validation.tables import Return, Table

NUMBERS = ("money", "decimal", "pct", "int")  # field types compared as numbers
NEW = 2**62  # the submission id of the return being merged, which has none yet


def find_conflicts(
    store: Store, typed: Return, office: str | None, period: str | None, lang: str, version: str | None = None
) -> tuple[list[Conflict], list[Finding]]:
    """The keys of ``typed`` that another office reported for ``period``: each conflict with the fields
    whose values differ, and a warning for each (``version``: the return's, for its field names)."""
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
        renamed = versions.field_names(name, version or store.standard.version, store.standard.version)
        both, compared = _pairs(table, key, r.owner if name == "projects" else None, others, renamed)
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
            differences = differing(store.standard, name, compared, both.iloc[i])
            said = differences_text(store.standard, name, differences, office, str(row.office), lang)
            conflicts.append(
                Conflict(
                    name, period, key_text, 0, int(row.submission_id), office, row.office, who, differences
                )
            )
            findings.append(_finding(rule, table, name, key[0], int(row.position_), lang, {
                "key": key_text,
                "period": period,
                "other_office": row.office,
                "other_submission": f"#{int(row.submission_id)}",
                "other_file": row.source_file,
                "owner": who,
                "kept": kept,
                "differences": said,
            }))  # fmt: skip
    return conflicts, findings


def _pairs(
    table: Table, key: list[str], owner: str | None, others: pd.DataFrame, renamed: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """This return's lines matched with the other offices' on the key: each field compared side by side
    (``<field>_mine`` and ``<field>_stored``, in the store's field names), and the fields compared."""
    mine = pd.DataFrame({k: table.col(k) for k in key}).assign(position_=range(len(table)))
    extra = [owner] if owner else []
    if owner:
        mine[owner] = table.col(owner).to_numpy()
    stored_name = {f: renamed.get(f, f) for f in table.record.field_names if f not in key and table.has(f)}
    compared = [stored for stored in stored_name.values() if stored in others]
    for f, stored in stored_name.items():
        if stored in others:
            mine[f"{stored}_mine"] = table.col(f).to_numpy()
    theirs = others[[*key, *extra, "submission_id", "office", "source_file"]].assign(
        **{f"{f}_stored": others[f].to_numpy() for f in compared}
    )
    return mine.merge(theirs, on=key, how="inner", suffixes=("", "_theirs")), compared


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


def open_conflicts(store: Store, periods: Sequence[str]) -> list[Conflict]:
    """The conflicts of these quarters between two submissions that are both still in force."""
    current = {s.id for s in store.submissions() if s.current}
    wanted = set(periods)
    return [
        c
        for c in store.conflicts()
        if c.period in wanted and c.submission_id in current and c.other_submission_id in current
    ]


def differing(
    standard: Standard, name: str, compared: list[str], pair: pd.Series
) -> tuple[tuple[str, str, str], ...]:
    """(field, this office's value, the other's) for each compared field whose values differ, the values
    as plain text (a number as 2400000, a date as 1997-01-01): what the store keeps; words come later."""
    record = standard.record_types[name]
    found = []
    for f in compared:
        kind = record.field(f).type
        mine, theirs = _plain(pair[f"{f}_mine"], kind), _plain(pair[f"{f}_stored"], kind)
        if mine != theirs:
            found.append((f, mine, theirs))
    return tuple(found)


def _plain(value: object, kind: str) -> str:
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    if kind == "date":
        return str(value)[:10]  # a Timestamp, or the store's YYYY-MM-DD text
    if kind in NUMBERS and not isinstance(value, str):
        number = round(float(value), 6)  # type: ignore[arg-type]
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value).strip()


def differences_text(
    standard: Standard,
    record: str,
    differences: Sequence[tuple[str, str, str]],
    office: str,
    other: str,
    lang: str,
) -> str:
    """The sentence that says how the two lines differ (field labels and numbers in ``lang``), or that
    they are the same."""
    if not differences:
        return ui("conflict.same", lang)
    fields = standard.record_types[record]
    parts = []
    for name, value, other_value in differences:
        field = fields.field(name) if name in fields.field_names else None
        label = (field.labels.get(lang) or name) if field is not None else name
        kind = field.type if field is not None else "string"
        shown, other_shown = _shown(value, kind, lang), _shown(other_value, kind, lang)
        parts.append(ui("conflict.field", lang, field=label, value=shown, office=office, other=other_shown,
                        other_office=other))  # fmt: skip
    return ui("conflict.differ", lang, differences=ui("conflict.separator", lang).join(parts))


def _shown(text: str, kind: str, lang: str) -> str:
    if not text:
        return "-"
    if kind in NUMBERS:
        try:
            return format_setting(float(text), lang)
        except ValueError:
            return text
    return text
