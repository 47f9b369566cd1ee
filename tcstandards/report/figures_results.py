"""Figures of the report beyond money: results against targets, the pipeline, and data quality."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from tcstandards.hq.consolidated import current_records, in_roles
from tcstandards.hq.status import STATES, Status
from tcstandards.hq.store import Store
from tcstandards.report.figure_table import NO_CODE, TOTAL, FigureTable, codelist_of, pct, usd
from tcstandards.report.views import View
from tcstandards.standard import Standard
from tcstandards.standard.roles import ROLE

TOP_RULES = 3
PROVENANCE = ("return_period", "submission_id")  # what :func:`_latest` orders by


def _latest(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The latest line (by return period, then submission) of each key."""
    ordered = frame.sort_values(["return_period", "submission_id"], kind="stable")
    return ordered.drop_duplicates(key, keep="last")


def results_tables(
    store: Store, periods: list[str], register: pd.DataFrame, standard: Standard, view: View | None = None
) -> list[FigureTable]:
    names = (ROLE.project, ROLE.period, ROLE.indicator, ROLE.country, ROLE.target, ROLE.actual)
    lines = in_roles(current_records(store, "results"), standard.roles, names, PROVENANCE)
    if len(lines):
        lines = lines[lines[ROLE.period].isin(periods)]
    if not len(lines):
        lines = pd.DataFrame(columns=list(names)).assign(return_period="", submission_id=0)
    lines = _latest(lines, [ROLE.project, ROLE.indicator, ROLE.country])
    lines = lines.merge(register, on=ROLE.project, how="left")
    if view is not None:  # the results of the donor's or the programme's projects, or of the country
        lines = view.keep(lines)
    indicators = standard.codelist("indicators")
    units = indicators.attribute("unit")
    lines["unit"] = lines[ROLE.indicator].map(units)
    lines["on_target"] = lines[ROLE.actual].astype(float) >= lines[ROLE.target].astype(float)
    target = lines[ROLE.target].astype(float)
    lines["achieved"] = (100 * lines[ROLE.actual].astype(float) / target.where(target > 0)).round(2)
    rows = []
    for code in [c for c in indicators.by_code if c in set(lines[ROLE.indicator])]:
        part = lines[lines[ROLE.indicator] == code]
        how = "mean" if units.get(code) == "percent" else "sum"
        target = float(getattr(part[ROLE.target].astype(float), how)())
        actual = float(getattr(part[ROLE.actual].astype(float), how)())
        rows.append(
            (code, units.get(code), len(part), round(target, 2), round(actual, 2), pct(actual, target))
        )
    by_indicator = FigureTable(
        "results_by_indicator",
        (
            ("indicator", "code"),
            ("unit", "code"),
            ("lines", "count"),
            ("target", "number"),
            ("actual", "number"),
            ("achievement_pct", "pct"),
        ),
        tuple(rows),
        {"type": "bar", "x": "indicator", "series": ["achievement_pct"]},
        {"indicator": codelist_of(standard, ROLE.indicator), "unit": "indicator_units"},
    )
    tables = [by_indicator]
    for name in (ROLE.programme, ROLE.region, ROLE.country):
        groups = lines.assign(key=lines[name].fillna(NO_CODE)).groupby("key", sort=True)
        grouped = [
            (str(k), len(g), int(g["on_target"].sum()), pct(int(g["on_target"].sum()), len(g)))
            for k, g in groups
        ]
        tables.append(
            FigureTable(
                f"results_by_{name}",
                ((name, "code"), ("lines", "count"), ("on_target", "count"), ("on_target_pct", "pct")),
                tuple(grouped),
                {"type": "bar", "x": name, "series": ["on_target_pct"]},
                {name: codelist_of(standard, name)},
            )
        )
    return tables


def _success(
    proposals: pd.DataFrame,
    counts: Counter[str],
    decided_codes: tuple[str, ...],
    approved_codes: tuple[str, ...],
) -> tuple[int, int, float | None, float]:
    """Proposals decided, approved, the success rate and the amount approved."""
    decided = sum(counts.get(code, 0) for code in decided_codes)
    approved = sum(counts.get(code, 0) for code in approved_codes)
    granted = proposals.loc[proposals[ROLE.proposal_status].isin(approved_codes), ROLE.granted_usd]
    return decided, approved, pct(approved, decided), usd(float(granted.astype(float).sum()))


def pipeline_tables(
    store: Store, periods: list[str], standard: Standard, view: View | None = None
) -> list[FigureTable]:
    statuses = standard.codelist("pipeline_statuses")
    decided_codes, approved_codes = statuses.having("decided"), statuses.having("approved")
    names = (ROLE.proposal, ROLE.partner_type, ROLE.proposal_status, ROLE.requested_usd, ROLE.granted_usd,
             ROLE.partner, ROLE.programme)  # fmt: skip
    proposals = in_roles(current_records(store, "pipeline"), standard.roles, names, PROVENANCE)
    if len(proposals):
        proposals = _latest(proposals[proposals["return_period"].isin(periods)], [ROLE.proposal])
    if view is not None:
        proposals = view.keep_proposals(proposals)
    rows = []
    success = []
    types = sorted(set(proposals[ROLE.partner_type])) if len(proposals) else []
    for partner in types:
        part = proposals[proposals[ROLE.partner_type] == partner]
        counts = Counter(part[ROLE.proposal_status])
        requested = float(part[ROLE.requested_usd].astype(float).sum())
        rows.append((partner, *(counts.get(s, 0) for s in statuses.ordered), usd(requested)))
        success.append((partner, *_success(part, counts, decided_codes, approved_codes)))
    if len(proposals):
        counts = Counter(proposals[ROLE.proposal_status])
        success.append((TOTAL, *_success(proposals, counts, decided_codes, approved_codes)))
    status_columns = tuple((s.lower(), "count") for s in statuses.ordered)
    return [
        FigureTable(
            "pipeline_by_partner_status",
            (("partner_type", "code"), *status_columns, ("requested_usd", "usd")),
            tuple(rows),
            {"type": "stacked", "x": "partner_type", "series": [s.lower() for s in statuses.ordered]},
            {"partner_type": codelist_of(standard, ROLE.partner_type)},
        ),
        FigureTable(
            "pipeline_success_rate",
            (
                ("partner_type", "code"),
                ("decided", "count"),
                ("approved", "count"),
                ("success_pct", "pct"),
                ("approved_usd", "usd"),
            ),
            tuple(success),
            {"type": "bar", "x": "partner_type", "series": ["success_pct"]},
            {"partner_type": codelist_of(standard, ROLE.partner_type)},
        ),
    ]


def quality_tables(store: Store, periods: list[str], status: Status) -> list[FigureTable]:
    by_period = []
    for period in status.periods:
        t = status.totals(period=period)
        by_period.append(
            (period, t["expected"], t["received"], *(t[s] for s in STATES),
             pct(t["complete"], t["expected"]), pct(t["timely"], t["expected"]))
        )  # fmt: skip
    state_columns = tuple((s.replace("-", "_"), "count") for s in STATES)
    completeness = FigureTable(
        "quality_by_quarter",
        (
            ("period", "period"),
            ("expected", "count"),
            ("received", "count"),
            *state_columns,
            ("completeness_pct", "pct"),
            ("timeliness_pct", "pct"),
        ),
        tuple(by_period),
        {"type": "bar", "x": "period", "series": ["completeness_pct", "timeliness_pct"]},
    )
    submissions = [s for s in store.submissions() if s.period in set(periods)]
    reporting = list(status.offices)  # every expected office, and any other that reported
    per_office = []
    rules: dict[str, Counter[str]] = {}
    for s in submissions:
        if s.office:
            counter = rules.setdefault(s.office, Counter())
            for f in store.findings(s.id):
                counter[f["rule"]] += 1
    for office in reporting:
        t = status.totals(office=office)
        mine = [s for s in submissions if s.office == office]
        top = ", ".join(f"{r} ({n})" for r, n in rules.get(office, Counter()).most_common(TOP_RULES))
        per_office.append(
            (office, t["expected"], *(t[s] for s in STATES), len(mine),
             sum(s.errors for s in mine), sum(s.warnings for s in mine), top)
        )  # fmt: skip
    offices = FigureTable(
        "quality_by_office",
        (
            ("office", "code"),
            ("expected", "count"),
            *state_columns,
            ("submissions", "count"),
            ("errors", "count"),
            ("warnings", "count"),
            ("top_rules", "text"),
        ),
        tuple(per_office),
        {"type": "stacked", "x": "office", "series": [s.replace("-", "_") for s in STATES]},
        {"office": codelist_of(store.standard, ROLE.office)},
    )
    return [completeness, offices]
