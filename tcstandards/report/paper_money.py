"""The paragraphs on money: the trend of expenditure, sources of funds, multi-bilateral donors, approvals.

The seed paper's paragraphs 17-19 give the model.  Each topic reads the
figures and chooses its sentences; a topic whose tables are empty writes
nothing.
"""

from __future__ import annotations

import unicodedata

from tcstandards.report.paper_base import (
    Draft,
    Figures,
    direction,
    in_sentence,
    listed,
    monotonic,
    quarter_text,
    trailing,
    words,
    yearly,
    years_text,
)

BY_YEAR = "expenditure_by_year"
BY_SOURCE = "expenditure_by_source"
APPROVALS = "approvals_by_source"
BY_PROGRAMME = "approvals_by_programme"
DONORS = "multi_bilateral_donors"
SPENT = "expenditure_usd"  # the column of Figure 1


def expenditure(f: Figures) -> Draft | None:
    if not f.has(BY_YEAR):
        return None
    d = Draft(f, "expenditure")
    keys, values = f.series(BY_YEAR, SPENT)
    if not keys:
        return None
    last = keys[-1]
    if not f.yearly:  # a part of a year: each quarter's amount
        items = [
            words("paper.amount.in.quarter", f.lang, amount=d.millions(BY_YEAR, key, SPENT),
                  quarter=quarter_text(str(key), f.lang))
            for key in keys
        ]  # fmt: skip
        d.say("paper.expenditure.quarters", items=listed(items, f.lang), see=d.see(BY_YEAR))
        return d
    peak = keys[values.index(max(values))]
    if len(keys) == 1 or values[0] == values[-1] == max(values):  # flat, or a dip and back: the last year
        d.say(
            "paper.expenditure.flat",
            last=d.millions(BY_YEAR, last, SPENT),
            last_year=str(last),
            see=d.see(BY_YEAR),
        )
    elif values[-1] == max(values):
        steady = "steady" if monotonic(values, rising=True) else "uneven"
        d.say(
            f"paper.expenditure.rise.{steady}",
            **d.change(BY_YEAR, SPENT, keys[0], last),
            see=d.see(BY_YEAR),
        )
    else:
        after = values[keys.index(peak) :]
        steady = "steady" if monotonic(after, rising=False) else "uneven"
        d.say(
            f"paper.expenditure.fall.{steady}",
            peak=d.millions(BY_YEAR, peak, SPENT),
            peak_year=str(peak),
            last=d.millions(BY_YEAR, last, SPENT),
            last_year=str(last),
            see=d.see(BY_YEAR),
        )
    return d


def sources(f: Figures) -> Draft | None:
    if not yearly(f, BY_SOURCE) or len(f.keys(BY_SOURCE)) < 2:
        return None
    d = Draft(f, "sources")
    first, last = f.keys(BY_SOURCE)[0], f.keys(BY_SOURCE)[-1]
    if not f.cell(BY_SOURCE, first, "total_usd") or not f.cell(BY_SOURCE, last, "total_usd"):
        return None  # no expenditure in the first or the last year: no shares to compare
    groups = f.standard.codelist("report_groups")
    combined = [g for g in groups.having("un_system") if f.has_column(BY_SOURCE, f"{g.lower()}_pct")]
    if combined and f.has_column(BY_SOURCE, "un_system_pct"):
        items = [
            words("paper.share.item", f.lang, group=f.name("report_groups", g),
                  share=d.share(BY_SOURCE, first, f"{g.lower()}_pct"))
            for g in combined
        ]  # fmt: skip
        d.say("paper.sources.first", year=str(first), items=words("paper.list.separator", f.lang).join(items))
        was, now = f.cell(BY_SOURCE, first, "un_system_pct"), f.cell(BY_SOURCE, last, "un_system_pct")
        names = listed([f.name("report_groups", g) for g in combined], f.lang)
        d.say(
            "paper.sources.combined." + ("fell" if now < was else "rose"),
            year=str(last),
            groups=names,
            count=len(combined),
            share=d.share(BY_SOURCE, last, "un_system_pct"),
            first_share=d.share(BY_SOURCE, first, "un_system_pct"),
            first_year=str(first),
        )
        un_direction = direction(was, now)
    else:
        un_direction = "same"
    extra = f.standard.codelist("sources_of_funds")
    extra_groups = {
        g for code, g in extra.attribute("report_group").items() if extra.by_code[code].get("extra_budgetary")
    }
    for g in (g for g in groups.ordered if g in extra_groups and g not in combined):
        column = f"{g.lower()}_pct"
        if not f.has_column(BY_SOURCE, column):
            continue
        since = f.series(BY_SOURCE, column)[0]  # from the group's first year with a share
        if len(since) < 2:
            continue
        first = since[0]
        moved = direction(f.cell(BY_SOURCE, first, column), f.cell(BY_SOURCE, last, column))
        contrast = moved != "same" and un_direction not in ("same", moved)
        key = f"paper.sources.other.{moved}" + (".contrast" if contrast else "")
        d.say(
            key,
            group=in_sentence(f.name("report_groups", g)),
            **d.change(BY_SOURCE, column, first, last, shares=True),
            see=d.see(BY_SOURCE),
        )
    return d


def multi_bilateral(f: Figures) -> Draft | None:
    if not yearly(f, DONORS) or len(f.keys(DONORS)) < 2:
        return None
    d = Draft(f, "multi_bilateral")
    keys, amounts = f.series(DONORS, "multi_bilateral_usd")
    if len(keys) < 2:
        return None
    begun = len(f.keys(DONORS)) - len(keys)
    first, last = keys[0], keys[-1]
    d.say(
        f"paper.multi.{direction(amounts[0], amounts[-1])}",
        **d.change(DONORS, "multi_bilateral_usd", first, last),
    )
    donors = f.column(DONORS, "donors")[begun:]
    d.say(
        f"paper.multi.donors.{direction(donors[0], donors[-1])}",
        first=d.count(DONORS, first, "donors"),
        last=d.count(DONORS, last, "donors"),
    )
    largest = f.column(DONORS, "largest_donors")[begun:]
    shares = f.column(DONORS, "largest_donors_pct")[begun:]
    codes = [c for c in str(largest[-1]).split(", ") if c]
    if not codes or shares[-1] is None:
        return d
    names = listed(sorted((f.name("donors", c) for c in codes), key=_collation), f.lang)
    one = ".one" if len(codes) == 1 else ""  # a verb agrees with one donor in French and Spanish
    if len(set(largest)) == 1 and None not in shares:
        low, high = keys[shares.index(min(shares))], keys[shares.index(max(shares))]
        if min(shares) == max(shares):
            d.say(
                "paper.multi.top.constant" + one,
                count=len(codes),
                names=names,
                first_year=str(first),
                last_year=str(last),
                share=d.share(DONORS, last, "largest_donors_pct"),
            )
        else:
            d.say(
                "paper.multi.top.range" + one,
                count=len(codes),
                names=names,
                first_year=str(first),
                last_year=str(last),
                low=d.share(DONORS, low, "largest_donors_pct"),
                high=d.share(DONORS, high, "largest_donors_pct"),
            )
    else:
        d.say(
            "paper.multi.top.last" + one,
            year=str(last),
            count=len(codes),
            names=names,
            share=d.share(DONORS, last, "largest_donors_pct"),
        )
    return d


def _collation(name: str) -> str:
    """Names in the order of a dictionary (accents do not come after z)."""
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)).casefold()


def approvals(f: Figures) -> Draft | None:
    if not yearly(f, APPROVALS):
        return None
    d = Draft(f, "approvals")
    keys, values = f.series(APPROVALS, "total_usd")
    if not keys:
        return None
    last_years = years_text(trailing(keys, values), f.lang)
    peak = keys[values.index(max(values))]
    later = values[keys.index(peak) :]
    trough = keys[keys.index(peak) + later.index(min(later))]
    money = {"last": d.millions(APPROVALS, keys[-1], "total_usd"), "last_years": last_years}
    if len(keys) == 1 or values[0] == values[-1] == max(values):
        d.say("paper.approvals.flat", **money, see=d.see(APPROVALS))
    elif values[-1] == max(values) and min(values[:-1]) < values[0]:  # a dip before the record
        low = keys[values.index(min(values[:-1]))]
        d.say(
            "paper.approvals.dip",
            first=d.millions(APPROVALS, keys[0], "total_usd"),
            first_year=str(keys[0]),
            trough=d.millions(APPROVALS, low, "total_usd"),
            trough_year=str(low),
            **money,
            see=d.see(APPROVALS),
        )
    elif values[-1] == max(values):
        d.say(
            "paper.approvals.rise",
            first=d.millions(APPROVALS, keys[0], "total_usd"),
            first_year=str(keys[0]),
            **money,
            see=d.see(APPROVALS),
        )
    elif values[-1] == min(later):
        d.say(
            "paper.approvals.fall",
            peak=d.millions(APPROVALS, peak, "total_usd"),
            peak_year=str(peak),
            **money,
            see=d.see(APPROVALS),
        )
    else:
        d.say(
            "paper.approvals.recovery",
            peak=d.millions(APPROVALS, peak, "total_usd"),
            peak_year=str(peak),
            trough=d.millions(APPROVALS, trough, "total_usd"),
            trough_year=str(trough),
            **money,
            see=d.see(APPROVALS),
        )
    _largest_programme(f, d)
    return d


def _largest_programme(f: Figures, d: Draft) -> None:
    if not f.has_column(BY_PROGRAMME, "largest"):
        return
    keys, largest = f.keys(BY_PROGRAMME), f.column(BY_PROGRAMME, "largest")
    if largest[-1] is None:
        return
    years = trailing(keys, largest)
    if len(years) >= 3:
        phrase = words("paper.years.range", f.lang, first=str(years[0]), last=str(years[-1]))
    elif len(years) == 2:
        phrase = words("paper.years.list", f.lang, years=years_text(years, f.lang))
    else:
        phrase = words("paper.years.one", f.lang, year=str(years[0]))
    d.say("paper.approvals.programme", years=phrase, programme=f.name("global_programmes", largest[-1]))


MONEY = (expenditure, sources, multi_bilateral, approvals)
