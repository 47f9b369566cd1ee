"""The figures of the Governing Body report, computed once from the consolidated data (spec section 4).

Every figure is a cell of a :class:`FigureTable`: the JSON report is these
tables, and the HTML and XLSX reports only render them.  Definitions:

* amounts are the Finance lines of the current versions of merged returns,
  for the quarters of the range, by calendar year; a line takes the source of
  funds, donor, ILO region and global programme of its project in the
  consolidated register;
* source groups are the ``report_group`` of the ``sources_of_funds`` codelist
  (UNDP, UNFPA, TRUST_FUNDS, RBTC with RBSA); "multi-bilateral" is every
  source flagged ``multi_bilateral`` except the associate experts programme,
  as in the seed paper (paragraph 18);
* approvals are the extra-budgetary ``approvals_usd`` (Figure 3 of the paper);
  the delivery rate is extra-budgetary expenditure / those approvals;
* beneficiary countries have expenditure > 0 on a line with a country;
* results: the latest line of the range for each project, indicator and
  country (targets and actuals are to date); achievement is actual / target
  (the mean of both for percent indicators); "on target" is actual >= target;
* pipeline: the latest state of each proposal in the range; success rate is
  approved / (approved + declined);
* data quality: the status matrix (:mod:`tcstandards.status`) and the
  findings of every submission of the range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from tcstandards import __version__
from tcstandards.common.outputs import generated_now
from tcstandards.hq.consolidated import current_records, in_roles, latest_projects
from tcstandards.hq.status import DEFAULT_DEADLINE_DAYS, compute_status
from tcstandards.hq.store import Store
from tcstandards.report.editorial import place, source_of
from tcstandards.report.figure_table import FigureTable, codelist_of, pct, usd
from tcstandards.report.figures_results import pipeline_tables, quality_tables, results_tables
from tcstandards.report.paper import draft_paper
from tcstandards.report.views import View
from tcstandards.standard import Standard
from tcstandards.standard.obligations import Obligation
from tcstandards.standard.periods import name
from tcstandards.standard.roles import ROLE

FORMAT = "tcstandards-report"
FORMAT_VERSION = 1
TOP_DONORS = 4


def _years(periods: list[str]) -> list[int]:
    return sorted({int(p[:4]) for p in periods})


class Data:
    """The consolidated records of the range, joined to their projects."""

    def __init__(self, store: Store, periods: list[str], view: View | None = None) -> None:
        self.store = store
        self.periods = periods
        self.years = _years(periods)
        whole = all(name(y, q) in periods for y in self.years for q in (1, 2, 3, 4))
        # whole years: a row per year (as the paper); a part of a year: a row per quarter
        self.axis = "year" if whole else "period"
        self.keys: list[Any] = list(self.years) if whole else list(periods)
        self.standard: Standard = store.standard
        roles = self.standard.roles
        sources = self.standard.codelist("sources_of_funds")
        projects = latest_projects(current_records(store, "projects"), roles)
        register = in_roles(
            projects, roles, (ROLE.project, ROLE.source, ROLE.donor, ROLE.region, ROLE.programme)
        )
        finance = current_records(store, "finance")
        finance = in_roles(
            finance, roles, (ROLE.project, ROLE.period, ROLE.country, ROLE.spent_usd, ROLE.allocated_usd)
        )
        finance = finance[finance[ROLE.period].isin(periods)] if len(finance) else finance
        lines = finance.merge(register, on=ROLE.project, how="left") if len(finance) else pd.DataFrame()
        if view is not None:  # the lines of the donor's or the programme's projects, or of the country
            lines = view.keep(lines)
        if len(lines):
            lines["year"] = (
                lines[ROLE.period].str[:4].astype(int) if self.axis == "year" else lines[ROLE.period]
            )
            lines["group"] = lines[ROLE.source].map(sources.attribute("report_group"))
            lines["extra"] = lines[ROLE.source].map(sources.attribute("extra_budgetary")).eq(True)
            # the paper's multi-bilateral figure leaves associate experts out
            lines["multi"] = lines[ROLE.source].map(sources.attribute("in_multi_bilateral_figure")).eq(True)
        self.lines = lines
        self.register = register
        self.groups = self.standard.codelist("report_groups").ordered
        extra = {
            g
            for code, g in sources.attribute("report_group").items()
            if code in sources.having("extra_budgetary")
        }
        self.extra_groups = tuple(g for g in self.groups if g in extra)  # what approvals are counted in
        self.regions = self.standard.codelist("ilo_regions").ordered

    def by_year(self, mask: pd.Series | None, column: str) -> dict[Any, float]:
        if not len(self.lines):
            return {}
        chosen = self.lines if mask is None else self.lines[mask]
        return {k: float(v) for k, v in chosen.groupby("year")[column].sum().items()}


def expenditure_by_year(d: Data) -> FigureTable:
    spent = d.by_year(None, ROLE.spent_usd)
    rows = tuple((y, usd(spent.get(y, 0))) for y in d.keys)
    chart = {"type": "bar", "x": d.axis, "series": ["expenditure_usd"]}
    return FigureTable("expenditure_by_year", ((d.axis, d.axis), ("expenditure_usd", "usd")), rows, chart)


def expenditure_by_source(d: Data) -> FigureTable:
    total = d.by_year(None, ROLE.spent_usd)
    group = {g: d.by_year(d.lines["group"] == g, ROLE.spent_usd) if len(d.lines) else {} for g in d.groups}
    multi = d.by_year(d.lines["multi"], ROLE.spent_usd) if len(d.lines) else {}
    columns: list[tuple[str, str]] = [(d.axis, d.axis)]
    for g in d.groups:
        columns += [(f"{g.lower()}_usd", "usd"), (f"{g.lower()}_pct", "pct")]
    combined = d.standard.codelist("report_groups").having("un_system")  # UNDP + UNFPA (paragraph 18)
    columns += [("un_system_pct", "pct"), ("multi_bilateral_usd", "usd"), ("total_usd", "usd")]
    rows = []
    for y in d.keys:
        row: list[Any] = [y]
        for g in d.groups:
            amount = group[g].get(y, 0)
            row += [usd(amount), pct(amount, total.get(y, 0))]
        un_system = pct(sum(group[g].get(y, 0) for g in combined if g in group), total.get(y, 0))
        rows.append((*row, un_system, usd(multi.get(y, 0)), usd(total.get(y, 0))))
    chart = {"type": "stacked_pct", "x": d.axis, "series": [f"{g.lower()}_pct" for g in d.groups]}
    return FigureTable("expenditure_by_source", tuple(columns), tuple(rows), chart)


def approvals_by_source(d: Data) -> FigureTable:
    extra = d.lines["extra"] if len(d.lines) else None
    group = {
        g: d.by_year(extra & (d.lines["group"] == g), ROLE.allocated_usd) if extra is not None else {}
        for g in d.extra_groups
    }
    total = d.by_year(extra, ROLE.allocated_usd) if extra is not None else {}
    columns = ((d.axis, d.axis), *((f"{g.lower()}_usd", "usd") for g in d.extra_groups), ("total_usd", "usd"))
    rows = tuple(
        (y, *(usd(group[g].get(y, 0)) for g in d.extra_groups), usd(total.get(y, 0))) for y in d.keys
    )
    chart = {"type": "stacked", "x": d.axis, "series": [f"{g.lower()}_usd" for g in d.extra_groups]}
    return FigureTable("approvals_by_source", columns, rows, chart)


def approvals_by_programme(d: Data) -> FigureTable:
    programmes = sorted(d.standard.codelist("global_programmes").codes)
    extra = d.lines["extra"] if len(d.lines) else None
    amounts = {
        p: d.by_year(extra & (d.lines[ROLE.programme] == p), ROLE.allocated_usd) if extra is not None else {}
        for p in programmes
    }
    total = d.by_year(extra, ROLE.allocated_usd) if extra is not None else {}
    rows = []
    for y in d.keys:
        values = [usd(amounts[p].get(y, 0)) for p in programmes]
        largest = programmes[values.index(max(values))] if any(values) else None
        rest = usd(total.get(y, 0) - sum(values))  # approvals of projects in no global programme
        rows.append((y, *values, rest, usd(total.get(y, 0)), largest))
    columns = (
        (d.axis, d.axis),
        *((p.lower() + "_usd", "usd") for p in programmes),
        ("no_programme_usd", "usd"),
        ("total_usd", "usd"),
        ("largest", "code"),
    )
    chart = {
        "type": "stacked",
        "x": d.axis,
        "series": [*(p.lower() + "_usd" for p in programmes), "no_programme_usd"],
    }
    codelists = {"largest": codelist_of(d.standard, ROLE.programme)}
    return FigureTable("approvals_by_programme", columns, tuple(rows), chart, codelists)


def expenditure_by_region(d: Data) -> FigureTable:
    total = d.by_year(None, ROLE.spent_usd)
    region = {
        r: d.by_year(d.lines[ROLE.region] == r, ROLE.spent_usd) if len(d.lines) else {} for r in d.regions
    }
    columns: list[tuple[str, str]] = [(d.axis, d.axis)]
    for r in d.regions:
        columns += [(f"{r.lower()}_usd", "usd"), (f"{r.lower()}_pct", "pct")]
    rows = []
    for y in d.keys:
        row: list[Any] = [y]
        for r in d.regions:
            row += [usd(region[r].get(y, 0)), pct(region[r].get(y, 0), total.get(y, 0))]
        rows.append(tuple(row))
    chart = {"type": "stacked_pct", "x": d.axis, "series": [f"{r.lower()}_pct" for r in d.regions]}
    return FigureTable("expenditure_by_region", tuple(columns), tuple(rows), chart)


def beneficiary_countries(d: Data) -> FigureTable:
    counts: dict[Any, int] = {}
    if len(d.lines):
        spent = d.lines[(d.lines[ROLE.spent_usd] > 0) & d.lines[ROLE.country].notna()]
        counts = {k: int(v) for k, v in spent.groupby("year")[ROLE.country].nunique().items()}
    rows = tuple((y, counts.get(y, 0)) for y in d.keys)
    chart = {"type": "bar", "x": d.axis, "series": ["countries"]}
    return FigureTable("beneficiary_countries", ((d.axis, d.axis), ("countries", "count")), rows, chart)


def multi_bilateral_donors(d: Data) -> FigureTable:
    rows = []
    for y in d.keys:
        mb = d.lines[d.lines["multi"] & (d.lines["year"] == y)] if len(d.lines) else pd.DataFrame()
        by_donor = mb.groupby(ROLE.donor)[ROLE.spent_usd].sum() if len(mb) else pd.Series(dtype=float)
        by_donor = by_donor[by_donor > 0].sort_values(ascending=False, kind="stable")
        top = by_donor.head(TOP_DONORS)
        total = float(by_donor.sum())
        rows.append((y, usd(total), len(by_donor), ", ".join(top.index), pct(float(top.sum()), total)))
    columns = (
        (d.axis, d.axis),
        ("multi_bilateral_usd", "usd"),
        ("donors", "count"),
        ("largest_donors", "text"),
        ("largest_donors_pct", "pct"),
    )
    chart = {"type": "bar", "x": d.axis, "series": ["multi_bilateral_usd"]}  # the growth, not a flat share
    codelists = {"largest_donors": codelist_of(d.standard, ROLE.donor)}
    return FigureTable("multi_bilateral_donors", columns, tuple(rows), chart, codelists)


def delivery_rate(d: Data) -> FigureTable:
    extra = d.lines["extra"] if len(d.lines) else None
    spent = d.by_year(extra, ROLE.spent_usd) if extra is not None else {}
    approved = d.by_year(extra, ROLE.allocated_usd) if extra is not None else {}
    rows = tuple(
        (y, usd(spent.get(y, 0)), usd(approved.get(y, 0)), pct(spent.get(y, 0), approved.get(y, 0)))
        for y in d.keys
    )
    columns = (
        (d.axis, d.axis),
        ("xb_expenditure_usd", "usd"),
        ("xb_approvals_usd", "usd"),
        ("delivery_pct", "pct"),
    )
    return FigureTable(
        "delivery_rate", columns, rows, {"type": "bar", "x": d.axis, "series": ["delivery_pct"]}
    )


def compute(
    store: Store,
    periods: list[str],
    lang: str = "en",
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
    additions: Sequence[Obligation] = (),
    view: View | None = None,
) -> dict[str, Any]:
    """The whole report as one JSON-ready document (see docs/report.md); ``additions``: HQ's
    reporting obligations beside the offices codelist's (the data-quality annex expects them);
    ``view``: one donor's, country's or programme's paper (:mod:`.views`)."""

    d = Data(store, periods, view)
    submissions = store.submissions()
    status = compute_status(submissions, periods, deadline_days, standard=d.standard, additions=additions)
    tables = [
        expenditure_by_year(d),
        expenditure_by_source(d),
        approvals_by_source(d),
        approvals_by_programme(d),
        expenditure_by_region(d),
        beneficiary_countries(d),
        multi_bilateral_donors(d),
        delivery_rate(d),
        *results_tables(store, periods, d.register, d.standard, view),
        *pipeline_tables(store, periods, d.standard, view),
        *quality_tables(store, periods, status),
    ]
    if view is not None:
        tables = [t for t in tables if view.shows(t.id)]
    followed = {s.standard_version for s in submissions if s.current and s.period in set(periods)}
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "lang": lang,
        "standard_version": d.standard.version,
        "data_standard_versions": sorted(v for v in followed if v),
        "generated_at": generated_now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "store": store.location,
        "range": {
            "from": periods[0],
            "to": periods[-1],
            "periods": periods,
            "years": d.years,
            "rows": d.axis,
        },
        "empty": not len(d.lines),
        "deadline_days": deadline_days,
        "view": view.as_dict(d.standard) if view is not None else None,
        "source": source_of(submissions, periods),
        "tables": [t.as_dict() for t in tables],
    }
    place(document["tables"])  # numbers, and the annex
    document["paragraphs"] = draft_paper(document, d.standard, lang)
    return document
