"""The paragraphs on reach and delivery: beneficiary countries and regions (the seed's paragraph 20),
results against targets, the resource-mobilization pipeline and the quality of the data."""

from __future__ import annotations

from typing import Any

from tcstandards.report.figure_table import TOTAL
from tcstandards.report.paper_base import (
    Draft,
    Figures,
    quarter_text,
    yearly,
)

BY_REGION = "expenditure_by_region"
COUNTRIES = "beneficiary_countries"
INDICATORS = "results_by_indicator"
SUCCESS = "pipeline_success_rate"
QUALITY = "quality_by_quarter"


def countries(f: Figures) -> Draft | None:
    if not yearly(f, COUNTRIES) or len(f.keys(COUNTRIES)) < 2:
        return None
    d = Draft(f, "countries")
    keys, counts = f.series(COUNTRIES, "countries")
    if len(keys) < 2:
        return None
    first, last = keys[0], keys[-1]
    if max(counts) > counts[0]:
        extreme, direction = keys[counts.index(max(counts))], "rose"
    elif min(counts) < counts[0]:
        extreme, direction = keys[counts.index(min(counts))], "fell"
    else:
        d.say(
            "paper.countries.same",
            first=d.count(COUNTRIES, first, "countries"),
            first_year=str(first),
            last_year=str(last),
            see=d.see(COUNTRIES),
        )
        return d
    d.say(
        f"paper.countries.{direction}",
        first=d.count(COUNTRIES, first, "countries"),
        first_year=str(first),
        extreme=d.count(COUNTRIES, extreme, "countries"),
        extreme_year=str(extreme),
        see=d.see(COUNTRIES),
    )
    if extreme != last:
        d.say("paper.countries.then", last=d.count(COUNTRIES, last, "countries"), last_year=str(last))
    _growth(f, d, first, extreme)
    return d


def _regions(f: Figures) -> list[str]:
    """The regions that receive expenditure (not the interregional and global projects)."""
    regions = f.standard.codelist("ilo_regions")
    return [r for r in regions.ordered if not regions.by_code[r].get("interregional")]


def _growth(f: Figures, d: Draft, first: Any, until: Any) -> None:
    """The region whose expenditure grew most over the same years, if one grew."""
    if not yearly(f, BY_REGION):
        return
    growth = {
        r: f.cell(BY_REGION, until, f"{r.lower()}_usd") - f.cell(BY_REGION, first, f"{r.lower()}_usd")
        for r in _regions(f)
        if f.has_column(BY_REGION, f"{r.lower()}_usd")
    }
    if not growth or max(growth.values()) <= 0:
        return
    region = max(growth, key=lambda r: growth[r])
    column = f"{region.lower()}_usd"
    d.say(
        "paper.regions.growth",
        region=f.name("ilo_regions", region),
        **d.change(BY_REGION, column, first, until),
        see=d.see(BY_REGION),
    )


def regions(f: Figures) -> Draft | None:
    if not yearly(f, BY_REGION):
        return None
    d = Draft(f, "regions")
    last = f.keys(BY_REGION)[-1]
    shares = {
        r: f.cell(BY_REGION, last, f"{r.lower()}_pct")
        for r in _regions(f)
        if f.has_column(BY_REGION, f"{r.lower()}_pct")
    }
    ranked = sorted((r for r in shares if shares[r]), key=lambda r: -shares[r])
    if not ranked:
        return None
    first = {"first_region": f.name("ilo_regions", ranked[0]),
             "first_share": d.share(BY_REGION, last, f"{ranked[0].lower()}_pct")}  # fmt: skip
    if len(ranked) == 1:
        d.say("paper.regions.one", year=str(last), **first, see=d.see(BY_REGION))
    else:
        d.say(
            "paper.regions.last",
            year=str(last),
            **first,
            second_region=f.name("ilo_regions", ranked[1]),
            second_share=d.share(BY_REGION, last, f"{ranked[1].lower()}_pct"),
            see=d.see(BY_REGION),
        )
    return d


def results(f: Figures) -> Draft | None:
    if not f.has(INDICATORS):
        return None
    d = Draft(f, "results")
    keys, achieved = f.keys(INDICATORS), f.column(INDICATORS, "achievement_pct")
    known = [(k, a) for k, a in zip(keys, achieved, strict=True) if a is not None]
    if not known:
        return None
    low = min(known, key=lambda pair: pair[1])[0]
    high = max(known, key=lambda pair: pair[1])[0]
    top = {"high": d.share(INDICATORS, high, "achievement_pct"), "high_indicator": f.name("indicators", high)}
    if len(known) == 1:
        d.say("paper.results.one", **top, see=d.see(INDICATORS))
    else:
        d.say(
            "paper.results.range",
            low=d.share(INDICATORS, low, "achievement_pct"),
            low_indicator=f.name("indicators", low),
            **top,
            see=d.see(INDICATORS),
        )
    return d


def pipeline(f: Figures) -> Draft | None:
    if not f.has(SUCCESS) or TOTAL not in f.keys(SUCCESS):
        return None
    d = Draft(f, "pipeline")
    if not f.cell(SUCCESS, TOTAL, "decided"):
        d.say("paper.pipeline.none", see=d.see(SUCCESS))
        return d
    every = f.cell(SUCCESS, TOTAL, "approved") == f.cell(SUCCESS, TOTAL, "decided")
    d.say(
        "paper.pipeline.all" if every else "paper.pipeline",
        decided=d.count(SUCCESS, TOTAL, "decided"),
        approved=d.count(SUCCESS, TOTAL, "approved"),
        success=d.share(SUCCESS, TOTAL, "success_pct"),
        amount=d.millions(SUCCESS, TOTAL, "approved_usd"),
        see=d.see(SUCCESS),
    )
    return d


def quality(f: Figures) -> Draft | None:
    if not f.has(QUALITY):
        return None
    d = Draft(f, "quality")
    keys = f.keys(QUALITY)
    last = keys[-1]
    every = f.cell(QUALITY, last, "received") == f.cell(QUALITY, last, "expected")
    d.say(
        "paper.quality.all" if every else "paper.quality.last",
        quarter=quarter_text(str(last), f.lang),
        received=d.count(QUALITY, last, "received"),
        expected=d.count(QUALITY, last, "expected"),
        on_time=d.count(QUALITY, last, "on_time"),
        completeness=d.share(QUALITY, last, "completeness_pct"),
        timeliness=d.share(QUALITY, last, "timeliness_pct"),
        see=d.see(QUALITY),
    )
    complete = f.column(QUALITY, "completeness_pct")
    known = [(k, c) for k, c in zip(keys, complete, strict=True) if c is not None]
    if not known:
        return d
    lowest, value = min(known, key=lambda pair: pair[1])
    if all(c == value for _, c in known):
        d.say(
            "paper.quality.full" if value == 100 else "paper.quality.lowest",
            quarter=quarter_text(str(lowest), f.lang),
            completeness=d.share(QUALITY, lowest, "completeness_pct"),
        )
    else:
        d.say(
            "paper.quality.lowest",
            quarter=quarter_text(str(lowest), f.lang),
            completeness=d.share(QUALITY, lowest, "completeness_pct"),
        )
    return d


REACH = (countries, regions, results, pipeline, quality)
