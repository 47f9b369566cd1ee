"""Row and cross-record rules of the catalogue (spec §3), vectorised.

Each function is registered under the id of the catalogue entry it reports
(or, when it reports a generic rule such as ``codelist``, under a name of its
own) and returns :class:`~tcstandards.tables.Hits`.  A value that failed its type is NA in the
typed frame, and every comparison here treats NA as "not broken", so a rule
never reports a cell again that already has a type finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tcstandards.standard import Standard
from tcstandards.validation.checks import missing
from tcstandards.validation.register import Register
from tcstandards.validation.tables import Hits, Table

RuleFunction = Callable[["Context"], Iterator[Hits]]
REGISTRY: dict[str, RuleFunction] = {}
APPROVAL_GRACE = pd.Timedelta(days=365)
BUDGET_TOLERANCE = 0.005
CURRENCY_TOLERANCE = 0.01
SUM_TOLERANCE = 0.01
HALF_CENT = 0.005  # amounts are recorded to the cent; float noise must not flag a line
TARGET_FACTOR = 10


def rule(rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
    def register(function: RuleFunction) -> RuleFunction:
        REGISTRY[rule_id] = function
        return function

    return register


@dataclass
class Context:
    standard: Standard
    cover: Table | None
    tables: dict[str, Table]
    period: str | None
    period_start: pd.Timestamp | None
    period_end: pd.Timestamp | None
    today: pd.Timestamp
    register: Register
    recipients: pd.DataFrame  # this return's recipient_countries, parsed once (register.parse_recipients)
    history: pd.DataFrame | None = None  # earlier finance lines from the store (crossquarter.py)

    def table(self, name: str) -> Table | None:
        table = self.tables.get(name)
        return table if table is not None and len(table) else None


def positions(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))


# --- Cover -------------------------------------------------------------------


@rule("prepared-before-period-end")
def prepared_before_period_end(ctx: Context) -> Iterator[Hits]:
    cover = ctx.cover
    if cover is None or ctx.period_end is None:
        return
    early = cover.col("prepared_on") < ctx.period_end
    if early.any():
        yield Hits(
            "prepared-before-period-end",
            "cover",
            positions(early),
            "prepared_on",
            {"period": ctx.period, "period_end": ctx.period_end},
        )


@rule("date-in-future")
def date_in_future(ctx: Context) -> Iterator[Hits]:
    if ctx.cover is None:
        return
    future = ctx.cover.col("prepared_on") > ctx.today
    if future.any():
        yield Hits("date-in-future", "cover", positions(future), "prepared_on", {"today": ctx.today})


# --- Projects ----------------------------------------------------------------


@rule("start-after-end")
def start_after_end(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("projects")
    if t is None:
        return
    bad = t.col("start_date") > t.col("end_date")
    yield Hits("start-after-end", t.name, positions(bad), "start_date", {"end_date": t.col("end_date")[bad]})


@rule("late-approval")
def late_approval(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("projects")
    if t is None:
        return
    bad = t.col("approval_date") > t.col("start_date") + APPROVAL_GRACE
    yield Hits(
        "late-approval", t.name, positions(bad), "approval_date", {"start_date": t.col("start_date")[bad]}
    )


@rule("implementation-not-started")
def implementation_not_started(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("projects")
    if t is None or ctx.period_end is None:
        return
    bad = (t.col("status") == "IMPLEMENTATION") & (t.col("start_date") > ctx.period_end)
    yield Hits(
        "implementation-not-started",
        t.name,
        positions(bad),
        "start_date",
        {"start_date": t.col("start_date")[bad], "period_end": ctx.period_end},
    )


def _recipients(ctx: Context) -> tuple[Table, pd.DataFrame] | None:
    t = ctx.table("projects")
    if t is None or not t.has("recipient_countries"):
        return None
    return t, ctx.recipients


@rule("recipient-codes")
def recipient_codes(ctx: Context) -> Iterator[Hits]:
    """Each code of recipient_countries is an ISO 3166-1 alpha-3 code (``codelist`` findings)."""
    found = _recipients(ctx)
    if found is None:
        return
    t, parts = found
    countries = ctx.standard.codelist("countries")
    unknown = parts[~parts["country"].isin(countries.codes)]
    if len(unknown):
        bad = unknown.groupby("position")["country"].agg(", ".join)
        yield Hits(
            "codelist",
            t.name,
            bad.index.to_numpy(),
            "recipient_countries",
            {"codelist": "countries"},
            bad.tolist(),
        )
    withdrawn = {c for c, w in countries.attribute("withdrawn").items() if w}
    old = parts[parts["country"].isin(withdrawn)]
    if len(old):
        dates = countries.attribute("withdrawn_on")
        first = old.groupby("position").first()
        yield Hits(
            "code-withdrawn",
            t.name,
            first.index.to_numpy(),
            "recipient_countries",
            {"date": first["country"].map(dates).astype(str).tolist()},
            first["country"].tolist(),
        )


@rule("recipients-sum")
def recipients_sum(ctx: Context) -> Iterator[Hits]:
    found = _recipients(ctx)
    if found is None:
        return
    t, parts = found
    given = parts[parts["pct"].notna()]
    total = given.groupby("position")["pct"].sum()
    bad = total[(total - 100).abs() > SUM_TOLERANCE]
    yield Hits(
        "recipients-sum",
        t.name,
        bad.index.to_numpy(),
        "recipient_countries",
        {"total": bad.round(2).tolist()},
    )


@rule("recipient-region")
def recipient_region(ctx: Context) -> Iterator[Hits]:
    found = _recipients(ctx)
    if found is None:
        return
    t, parts = found
    region_of = ctx.standard.codelist("countries").attribute("ilo_region")
    parts = parts.assign(
        country_region=parts["country"].map(region_of),
        ilo_region=t.col("ilo_region").iloc[parts["position"]].to_numpy(),
    )
    bad = parts[
        parts["country_region"].notna()
        & parts["ilo_region"].notna()
        & (parts["ilo_region"] != "INTERREGIONAL")
        & (parts["country_region"] != parts["ilo_region"])
    ]
    first = bad.groupby("position").first()
    yield Hits(
        "recipient-region",
        t.name,
        first.index.to_numpy(),
        "recipient_countries",
        {
            "code": first["country"],
            "country_region": first["country_region"],
            "ilo_region": first["ilo_region"],
        },
    )


@rule("donor-suffix")
def donor_suffix(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("projects")
    if t is None:
        return
    code, donor = t.col("project_code"), t.col("donor_code")
    pattern = t.record.field("project_code").pattern or ""
    suffix = code.where(code.str.match(pattern, na=False)).str[-3:]
    bad = suffix.notna() & donor.notna() & (suffix != donor)
    yield Hits(
        "donor-suffix",
        t.name,
        positions(bad),
        "project_code",
        {"suffix": suffix[bad], "donor_code": donor[bad]},
    )


# --- Finance and Results -------------------------------------------------------


def _lines(ctx: Context) -> Iterator[Table]:
    for name in ("finance", "results"):
        t = ctx.table(name)
        if t is not None:
            yield t


@rule("period-mismatch")
def period_mismatch(ctx: Context) -> Iterator[Hits]:
    if ctx.period is None:
        return
    for t in _lines(ctx):
        period = t.col("period")
        bad = period.notna() & (period != ctx.period)
        yield Hits("period-mismatch", t.name, positions(bad), "period", {"period": ctx.period})


@rule("unknown-project")
def unknown_project(ctx: Context) -> Iterator[Hits]:
    note = " / store" if ctx.register.from_store else ""
    for t in _lines(ctx):
        code = t.col("project_code")
        bad = code.notna() & ~code.isin(ctx.register.codes)
        yield Hits("unknown-project", t.name, positions(bad), "project_code", {"store": note})


@rule("country-not-recipient")
def country_not_recipient(ctx: Context) -> Iterator[Hits]:
    recipients = ctx.register.recipients
    pairs = pd.MultiIndex.from_arrays([recipients["project_code"], recipients["country"]])
    with_recipients = pd.Index(recipients["project_code"].unique())
    for t in _lines(ctx):
        code, country = t.col("project_code"), t.col("country_code")
        known = code.isin(with_recipients) & country.notna()
        bad = known & ~pd.MultiIndex.from_arrays([code, country]).isin(pairs)
        if not bad.any():
            continue
        shown = recipients[recipients["project_code"].isin(code[bad])]
        listed = shown.groupby("project_code")["country"].agg(";".join)
        yield Hits(
            "country-not-recipient",
            t.name,
            positions(bad),
            "country_code",
            {"project_code": code[bad], "recipients": code[bad].map(listed)},
        )


@rule("over-budget")
def over_budget(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("finance")
    if t is None:
        return
    code = t.col("project_code")
    budget = code.map(ctx.register.budget).astype(float)
    bad = t.col("cumulative_expenditure_usd") > budget * (1 + BUDGET_TOLERANCE) + HALF_CENT
    yield Hits(
        "over-budget",
        t.name,
        positions(bad),
        "cumulative_expenditure_usd",
        {"budget": budget[bad], "project_code": code[bad]},
    )


@rule("negative-expenditure")
def negative_expenditure(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("finance")
    if t is None:
        return
    yield Hits("negative-expenditure", t.name, positions(t.col("expenditure_usd") < 0), "expenditure_usd")


@rule("currency-mismatch")
def currency_mismatch(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("finance")
    if t is None:
        return
    usd = t.col("expenditure_usd").astype(float)
    computed = t.col("expenditure_local").astype(float) * t.col("usd_rate").astype(float)
    bad = t.col("local_currency").notna() & ((usd - computed).abs() > CURRENCY_TOLERANCE * usd.abs())
    yield Hits("currency-mismatch", t.name, positions(bad), "expenditure_usd", {"computed": computed[bad]})


@rule("currency-ended")
def currency_ended(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("finance")
    if t is None or ctx.period_start is None:
        return
    ended = pd.Series(ctx.standard.codelist("currencies").attribute("valid_until")).dropna()
    until = pd.to_datetime(t.col("local_currency").map(ended), errors="coerce")
    bad = until < ctx.period_start
    yield Hits(
        "currency-ended",
        t.name,
        positions(bad),
        "local_currency",
        {"valid_until": until[bad], "period": ctx.period},
    )


# --- Results -------------------------------------------------------------------


def _unit(ctx: Context, t: Table) -> pd.Series:
    units = ctx.standard.codelist("indicators").attribute("unit")
    return t.col("indicator_code").map(units)


@rule("percent-over-100")
def percent_over_100(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("results")
    if t is None:
        return
    percent = _unit(ctx, t) == "percent"
    actual_bad = percent & (t.col("actual") > 100)
    target_bad = percent & (t.col("target") > 100) & ~actual_bad
    for name, bad in (("actual", actual_bad), ("target", target_bad)):
        yield Hits(
            "percent-over-100", t.name, positions(bad), name, {"indicator": t.col("indicator_code")[bad]}
        )


@rule("sex-exceeds-actual")
def sex_exceeds_actual(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("results")
    if t is None:
        return
    women, men = t.col("women").astype(float), t.col("men").astype(float)
    given = women.notna() | men.notna()
    total = women.fillna(0) + men.fillna(0)
    bad = (_unit(ctx, t) == "persons") & given & (total > t.col("actual"))
    field = "women" if t.has("women") else "men"
    yield Hits(
        "sex-exceeds-actual",
        t.name,
        positions(bad),
        field,
        {"total": total[bad], "actual": t.col("actual")[bad]},
    )


@rule("sex-not-applicable")
def sex_not_applicable(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("results")
    if t is None:
        return
    unit = _unit(ctx, t)
    other = unit.notna() & (unit != "persons")
    women = other & t.col("women").notna()
    men = other & t.col("men").notna() & ~women
    for name, bad in (("women", women), ("men", men)):
        yield Hits(
            "sex-not-applicable", t.name, positions(bad), name, {"indicator": t.col("indicator_code")[bad]}
        )


@rule("actual-far-above-target")
def actual_far_above_target(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("results")
    if t is None:
        return
    target = t.col("target").astype(float)
    bad = (target > 0) & (t.col("actual").astype(float) > TARGET_FACTOR * target)
    yield Hits("actual-far-above-target", t.name, positions(bad), "actual", {"target": target[bad]})


@rule("country-required")
def country_required(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("results")
    if t is None:
        return
    region = t.col("project_code").map(ctx.register.region)
    bad = region.notna() & (region != "INTERREGIONAL") & missing(t, "country_code")
    yield Hits(
        "country-required",
        t.name,
        positions(bad),
        "country_code",
        {"project_code": t.col("project_code")[bad]},
    )


# --- Pipeline ------------------------------------------------------------------


@rule("submitted-after-decided")
def submitted_after_decided(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("pipeline")
    if t is None:
        return
    bad = t.col("submitted_on") > t.col("decided_on")
    yield Hits(
        "submitted-after-decided",
        t.name,
        positions(bad),
        "submitted_on",
        {"decided_on": t.col("decided_on")[bad]},
    )


@rule("approved-over-requested")
def approved_over_requested(ctx: Context) -> Iterator[Hits]:
    t = ctx.table("pipeline")
    if t is None:
        return
    bad = t.col("approved_usd").astype(float) > t.col("requested_usd").astype(float)
    yield Hits(
        "approved-over-requested",
        t.name,
        positions(bad),
        "approved_usd",
        {"requested": t.col("requested_usd")[bad]},
    )


def run_rules(ctx: Context) -> Iterator[Hits]:
    for function in REGISTRY.values():
        for hits in function(ctx):
            if len(hits.positions):
                yield hits
