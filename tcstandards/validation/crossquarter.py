"""Rules across quarters (spec §3): they need the consolidated history of the store.

Both are warnings and both show the earlier value, so the office can see at
once whether this quarter or an earlier one is wrong.

* ``cumulative-continuity``: cumulative_t = cumulative_{t-1} + expenditure_t,
  within ``tolerance_usd``, for the same project and country, when the store holds the
  line of the quarter just before.
* ``expenditure-outlier``: the quarter's expenditure against the same
  project's (and country's) earlier quarters, by the robust z-score of
  Iglewicz and Hoaglin: ``z = 0.6745 (x - median) / MAD``, flagged when
  ``|z| > z_threshold`` and at least ``min_quarters`` earlier quarters are known
  (the rule's parameters in ``rules.json``).  When the MAD is
  0, the mean absolute deviation (times 1.2533) stands in for it; when that is
  0 too, every earlier quarter had the same expenditure and nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from tcstandards.standard import Rule, periods
from tcstandards.standard.roles import ROLE
from tcstandards.validation.implementations import implementation
from tcstandards.validation.rule_context import Context, positions
from tcstandards.validation.tables import Hits

MAD_SCALE = 0.6745  # the robust z-score's constants (Iglewicz and Hoaglin), not settings of the standard
MEAN_AD_SCALE = 1.253314
ROLES = (ROLE.project, ROLE.country, ROLE.period, ROLE.spent_usd, ROLE.cumulative_usd)


def history_columns(rule: Rule) -> list[str]:
    """The finance fields the cross-quarter rules read from the store's history."""
    return [rule.roles[role] for role in ROLES]


def _key(frame: pd.DataFrame, rule: Rule) -> pd.Series:
    project, country = rule.roles[ROLE.project], rule.roles[ROLE.country]
    countries = frame[country].astype(object).where(frame[country].notna(), "")
    return frame[project].astype(str) + "|" + countries.astype(str)


def _finance(ctx: Context, rule: Rule) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    (record,) = rule.records
    t = ctx.table(record)
    history = ctx.history
    if t is None or history is None or not len(history) or ctx.period is None:
        return None
    lines = pd.DataFrame({name: t.col(name) for name in history_columns(rule)}, index=t.frame.index)
    period = rule.roles[ROLE.period]
    earlier = history[(history[period] < ctx.period) & _key(history, rule).isin(_key(lines, rule))]
    if not len(earlier):
        return None
    return lines, earlier


@implementation("cumulative-continuity", roles=ROLES, parameters=("tolerance_usd",))
def cumulative_continuity(ctx: Context, rule: Rule) -> Iterator[Hits]:
    found = _finance(ctx, rule)
    if found is None or ctx.period is None:
        return
    lines, earlier = found
    period, spent, cumulative_field = (
        rule.roles[ROLE.period],
        rule.roles[ROLE.spent_usd],
        rule.roles[ROLE.cumulative_usd],
    )
    before = periods.previous(ctx.period)
    previous = earlier[earlier[period] == before]
    previous = previous.drop_duplicates([rule.roles[ROLE.project], rule.roles[ROLE.country]])
    last = pd.Series(
        previous[cumulative_field].astype(float).to_numpy(), index=_key(previous, rule).to_numpy()
    )
    prior = _key(lines, rule).map(last)
    expected = prior + lines[spent].astype(float)
    cumulative = lines[cumulative_field].astype(float)
    tolerance = rule.parameters["tolerance_usd"]
    bad = prior.notna() & cumulative.notna() & ((cumulative - expected).abs() > tolerance)
    params = {
        "previous": prior[bad],
        "previous_period": before,
        "expenditure": lines[spent][bad],
        "expected": expected[bad],
    }
    yield Hits(rule.id, rule.records[0], positions(bad), cumulative_field, params)


@implementation("expenditure-outlier", roles=ROLES, parameters=("z_threshold", "min_quarters"))
def expenditure_outlier(ctx: Context, rule: Rule) -> Iterator[Hits]:
    found = _finance(ctx, rule)
    if found is None:
        return
    lines, earlier = found
    period, spent = rule.roles[ROLE.period], rule.roles[ROLE.spent_usd]
    earlier = earlier.drop_duplicates([rule.roles[ROLE.project], rule.roles[ROLE.country], period]).copy()
    earlier["key"] = _key(earlier, rule).to_numpy()
    earlier["x"] = earlier[spent].astype(float)
    earlier = earlier[earlier["x"].notna()]
    groups = earlier.groupby("key")["x"]
    median = groups.median()
    deviation = (earlier["x"] - earlier["key"].map(median)).abs()
    by_key = deviation.groupby(earlier["key"])
    stats = pd.DataFrame(
        {
            "median": median,
            "mad": by_key.median(),
            "mean_ad": by_key.mean(),
            "count": groups.size(),
            "last": earlier.sort_values(period).groupby("key")["x"].last(),
        }
    )
    stats = stats[stats["count"] >= rule.parameters["min_quarters"]]
    row = stats.reindex(_key(lines, rule).to_numpy())
    row.index = lines.index
    x = lines[spent].astype(float)
    spread = row["mad"].where(row["mad"] > 0) / MAD_SCALE
    spread = spread.fillna(MEAN_AD_SCALE * row["mean_ad"].where(row["mean_ad"] > 0))
    z = (x - row["median"]) / spread
    bad = z.abs() > rule.parameters["z_threshold"]
    params = {
        "median": row["median"][bad],
        "count": row["count"][bad].astype(int),
        "z": np.round(z[bad].astype(float), 1),
        "previous": row["last"][bad],
    }
    yield Hits(rule.id, rule.records[0], positions(bad), spent, params)
