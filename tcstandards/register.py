"""The project register Finance and Results lines resolve against.

It is built from the Projects of the return itself and, when HQ provides one,
merged with the consolidated register of the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .tables import Table


@dataclass
class Register:
    codes: pd.Index
    region: pd.Series  # project_code -> ilo_region
    budget: pd.Series  # project_code -> approved_budget_usd
    recipients: pd.DataFrame  # project_code, country (one row per recipient)
    from_store: bool = False


def _split(value: str) -> list[tuple[str, float]]:
    parts = []
    for part in value.split(";"):
        code, _, pct = part.strip().partition(":")
        if not code.strip():
            continue
        try:
            number = float(pct) if pct.strip() else math.nan
        except ValueError:
            number = math.nan
        parts.append((code.strip().upper(), number))
    return parts


def parse_recipients(codes: pd.Series) -> pd.DataFrame:
    """``SEN:60;MLI:40`` -> one row per country: position, country, pct (NaN when not given).

    Each distinct text is parsed once; rows are then joined to their parts.
    """
    s = codes.dropna()
    distinct = [(value, country, pct) for value in s.unique() for country, pct in _split(str(value))]
    parts = pd.DataFrame(distinct, columns=["value", "country", "pct"])
    rows = pd.DataFrame({"position": s.index.astype(int), "value": s.to_numpy()})
    merged = rows.merge(parts, on="value", how="inner", sort=False)
    return merged[["position", "country", "pct"]].reset_index(drop=True)


def build_register(projects: Table | None, recipients: pd.DataFrame | None = None) -> Register:
    if projects is None or not len(projects) or not projects.has("project_code"):
        empty = pd.Series([], dtype=object)
        return Register(pd.Index([]), empty, empty, pd.DataFrame({"project_code": [], "country": []}))
    frame = projects.frame
    codes = frame["project_code"]
    first = codes.notna() & ~codes.duplicated()
    unique = frame[first]
    if recipients is None:
        recipients = parse_recipients(projects.col("recipient_countries"))
    recipients = recipients[recipients["position"].isin(unique.index)]
    return Register(
        codes=pd.Index(unique["project_code"]),
        region=pd.Series(projects.col("ilo_region")[first].to_numpy(), index=unique["project_code"]),
        budget=pd.Series(projects.col("approved_budget_usd")[first].to_numpy(), index=unique["project_code"]),
        recipients=pd.DataFrame(
            {"project_code": codes.iloc[recipients["position"]].to_numpy(), "country": recipients["country"]}
        ),
    )


def merge_registers(own: Register, other: Register) -> Register:
    """This return's projects first, then those of another source (the consolidated store)."""
    extra = other.codes.difference(own.codes)
    return Register(
        codes=own.codes.append(extra),
        region=pd.concat([own.region, other.region.reindex(extra)]),
        budget=pd.concat([own.budget, other.budget.reindex(extra)]),
        recipients=pd.concat(
            [own.recipients, other.recipients[other.recipients["project_code"].isin(extra)]],
            ignore_index=True,
        ),
        from_store=True,
    )
