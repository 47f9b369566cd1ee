"""Rules across quarters (spec §3): they need the consolidated history of the store.

Both are warnings and both show the earlier value, so the office can see at
once whether this quarter or an earlier one is wrong.

* ``cumulative-continuity``: cumulative_t = cumulative_{t-1} + expenditure_t,
  within 1 USD, for the same project and country, when the store holds the
  line of the quarter just before.
* ``expenditure-outlier``: the quarter's expenditure against the same
  project's (and country's) earlier quarters, by the robust z-score of
  Iglewicz and Hoaglin: ``z = 0.6745 (x - median) / MAD``, flagged when
  ``|z| > 3.5`` and at least four earlier quarters are known.  When the MAD is
  0, the mean absolute deviation (times 1.2533) stands in for it; when that is
  0 too, every earlier quarter had the same expenditure and nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from tcstandards.validation.rules import Context, positions, rule
from tcstandards.validation.tables import Hits

CONTINUITY_TOLERANCE_USD = 1.0
OUTLIER_Z = 3.5
OUTLIER_MIN_HISTORY = 4
MAD_SCALE = 0.6745
MEAN_AD_SCALE = 1.253314
KEY = ["project_code", "country_code"]
HISTORY_COLUMNS = ["project_code", "country_code", "period", "expenditure_usd", "cumulative_expenditure_usd"]


def previous_period(period: str) -> str:
    """``1997-Q1`` -> ``1996-Q4``."""
    year, quarter = int(period[:4]), int(period[-1])
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def _key(frame: pd.DataFrame) -> pd.Series:
    country = frame["country_code"].astype(object).where(frame["country_code"].notna(), "")
    return frame["project_code"].astype(str) + "|" + country.astype(str)


def _finance(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    t = ctx.table("finance")
    history = ctx.history
    if t is None or history is None or not len(history) or ctx.period is None:
        return None
    lines = pd.DataFrame({name: t.col(name) for name in HISTORY_COLUMNS}, index=t.frame.index)
    earlier = history[(history["period"] < ctx.period) & _key(history).isin(_key(lines))]
    if not len(earlier):
        return None
    return lines, earlier


@rule("cumulative-continuity")
def cumulative_continuity(ctx: Context) -> Iterator[Hits]:
    found = _finance(ctx)
    if found is None or ctx.period is None:
        return
    lines, earlier = found
    before = previous_period(ctx.period)
    previous = earlier[earlier["period"] == before]
    previous = previous.drop_duplicates(KEY)
    last = pd.Series(
        previous["cumulative_expenditure_usd"].astype(float).to_numpy(), index=_key(previous).to_numpy()
    )
    prior = _key(lines).map(last)
    expected = prior + lines["expenditure_usd"].astype(float)
    cumulative = lines["cumulative_expenditure_usd"].astype(float)
    bad = prior.notna() & cumulative.notna() & ((cumulative - expected).abs() > CONTINUITY_TOLERANCE_USD)
    yield Hits(
        "cumulative-continuity",
        "finance",
        positions(bad),
        "cumulative_expenditure_usd",
        {
            "previous": prior[bad],
            "previous_period": before,
            "expenditure": lines["expenditure_usd"][bad],
            "expected": expected[bad],
        },
    )


@rule("expenditure-outlier")
def expenditure_outlier(ctx: Context) -> Iterator[Hits]:
    found = _finance(ctx)
    if found is None:
        return
    lines, earlier = found
    earlier = earlier.drop_duplicates([*KEY, "period"]).copy()
    earlier["key"] = _key(earlier).to_numpy()
    earlier["x"] = earlier["expenditure_usd"].astype(float)
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
            "last": earlier.sort_values("period").groupby("key")["x"].last(),
        }
    )
    stats = stats[stats["count"] >= OUTLIER_MIN_HISTORY]
    row = stats.reindex(_key(lines).to_numpy())
    row.index = lines.index
    x = lines["expenditure_usd"].astype(float)
    spread = row["mad"].where(row["mad"] > 0) / MAD_SCALE
    spread = spread.fillna(MEAN_AD_SCALE * row["mean_ad"].where(row["mean_ad"] > 0))
    z = (x - row["median"]) / spread
    bad = z.abs() > OUTLIER_Z
    yield Hits(
        "expenditure-outlier",
        "finance",
        positions(bad),
        "expenditure_usd",
        {
            "median": row["median"][bad],
            "count": row["count"][bad].astype(int),
            "z": np.round(z[bad].astype(float), 1),
            "previous": row["last"][bad],
        },
    )
