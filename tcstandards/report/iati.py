"""IATI 2.03 activity XML from the consolidated projects (``export --format iati``).

One ``<iati-activity>`` per project of the consolidated register (the owning
office's line), in the element order of the IATI 2.03 schema:

* identifier ``XM-DAC-41302-`` + the project code with ``/`` turned into
  ``-``; reporting organisation the ILO (``XM-DAC-41302``, type 40);
* the donor as funding organisation (the ILO itself for RBTC and RBSA) and
  the ILO as implementing organisation;
* status (the project status codelist carries its IATI ActivityStatus),
  planned start and end dates, and actual ones only when they are not in the
  future;
* recipient countries as ISO alpha-2 codes with percentages that sum to 100
  (equal shares when the register gives none; region 998 "developing
  countries, unspecified" for an interregional project or a withdrawn
  country that has no alpha-2 code);
* the sector (OECD DAC 5-digit code);
* budgets of at most one year: the approved budget shared over the calendar
  years of the project by days;
* approvals as commitments (transaction type 2) and expenditure (type 4), one
  per quarter, dated at the end of the quarter (or today, for the quarter
  under way).  Expenditure in a local currency that is still current is
  reported in that currency; a historical currency (DEM, FRF...: not in
  IATI's Currency codelist) is converted to USD, the return's own USD amount;
* results per indicator: result type from the indicator's level (output,
  outcome, impact), measure from its unit, and one period per quarter with
  the target and actual (summed over countries; averaged for percentages).
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from tcstandards.common.outputs import atomic_write, generated_now
from tcstandards.hq.consolidated import current_records, latest_projects
from tcstandards.hq.store import Store
from tcstandards.standard import Roles, Standard, periods
from tcstandards.validation.register import split_recipients

ILO = "XM-DAC-41302"
ILO_TYPE = "40"  # Multilateral
ILO_NAME = "International Labour Organization"
UNSPECIFIED_REGION = "998"  # OECD DAC: developing countries, unspecified
# The IATI crosswalks are attributes of the standard's codelists: iati_activity_status (project_statuses),
# iati_organisation_type (partner_types), iati_result_type (result_levels), iati_measure (indicator_units).
IATI_PIPELINE, IATI_CLOSED = 1, 4  # IATI ActivityStatus codes
DEFAULT_RESULT_TYPE = "1"  # output
DEFAULT_MEASURE = "1"  # unit
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def identifier(project_code: str) -> str:
    return f"{ILO}-{project_code.replace('/', '-')}"


def build(store: Store, *, today: dt.date) -> ET.Element:
    """The ``<iati-activities>`` document of every consolidated project."""
    standard = store.standard
    project_code = standard.roles.project
    # each quarter re-reports the register: its latest state
    projects = latest_projects(current_records(store, "projects"), standard.roles)
    finance = current_records(store, "finance")
    results = current_records(store, "results")
    now = generated_now()
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": _datetime(now)})
    # plain records grouped once: pandas per project costs milliseconds each, for thousands of projects
    finance_of, results_of = _by(finance, project_code), _by(results, project_code)
    for project in projects.sort_values(project_code).to_dict("records"):
        code = project[project_code]
        root.append(
            activity(standard, project, finance_of.get(code, []), results_of.get(code, []), today=today)
        )
    return root


Record = dict[str, Any]


def _by(frame: pd.DataFrame, column: str) -> dict[Any, list[Record]]:
    """The records of ``frame`` grouped by ``column``, in their order; a missing key is left out."""
    return _group(frame.to_dict("records") if len(frame) else [], column)


def _group(records: list[Record], column: str) -> dict[Any, list[Record]]:
    groups: dict[Any, list[Record]] = {}
    for record in records:
        key = record.get(column)
        if not _missing(key):
            groups.setdefault(key, []).append(record)
    return groups


def _sorted_groups(records: list[Record], column: str) -> list[tuple[Any, list[Record]]]:
    """Records grouped by ``column``, the groups in the order of their key as text."""
    return sorted(_group(records, column).items(), key=lambda item: str(item[0]))


def write(store: Store, target: Path, *, today: dt.date | None = None) -> Path:
    root = build(store, today=today or dt.date.today())
    ET.indent(root)
    with atomic_write(target, "wb") as handle:
        ET.ElementTree(root).write(handle, encoding="utf-8", xml_declaration=True)
    return target


def activity(
    standard: Standard,
    project: Record,
    finance: list[Record],
    results: list[Record],
    *,
    today: dt.date,
) -> ET.Element:
    """One ``<iati-activity>``: a project with its Finance and Results lines (plain records)."""
    r = standard.roles
    updated = max(
        [str(project.get("received_at") or "")] + [str(line.get("received_at")) for line in finance]
    )
    element = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": updated or _datetime(generated_now()),
            XML_LANG: "en",  # the texts this export writes; titles stay as the office typed them
            "default-currency": "USD",
            "hierarchy": "1",
        },
    )
    _text(element, "iati-identifier", identifier(project[r.project]))
    _narrative(ET.SubElement(element, "reporting-org", {"ref": ILO, "type": ILO_TYPE}), ILO_NAME)
    _narrative(ET.SubElement(element, "title"), project[r.title])
    about = (
        f"ILO technical cooperation project {project[r.project]}, administered by "
        f"{project[r.owner]} and backstopped by {project[r.technical_unit]}."
    )
    _narrative(ET.SubElement(element, "description", {"type": "1"}), about)
    _participants(standard, element, project)
    statuses = standard.codelist("project_statuses").attribute("iati_activity_status")
    status = statuses[project[r.project_status]]
    ET.SubElement(element, "activity-status", {"code": str(status)})
    _dates(r, element, project, today, status)
    _recipients(standard, element, project)
    ET.SubElement(element, "sector", {"vocabulary": "1", "code": str(project[r.sector]), "percentage": "100"})
    _budgets(r, element, project)
    _transactions(standard, element, finance, today)
    _results(standard, element, results)
    return element


def _participants(standard: Standard, element: ET.Element, project: dict[str, Any]) -> None:
    sources = standard.codelist("sources_of_funds")
    source, donor_code = project[standard.roles.source], project.get(standard.roles.donor)
    regular_budget = source in sources.codes and not sources.by_code[source].get("extra_budgetary")
    if regular_budget or _missing(donor_code):
        funder = ET.SubElement(element, "participating-org", {"role": "1", "ref": ILO, "type": ILO_TYPE})
        _narrative(funder, ILO_NAME)
    else:
        donor = standard.codelist("donors").by_code.get(str(donor_code), {})
        attrs = {"role": "1"}
        types = standard.codelist("partner_types").attribute("iati_organisation_type")
        if donor.get("type") in types:
            attrs["type"] = types[donor["type"]]
        names = donor.get("name") or {"en": donor_code}
        _narratives(ET.SubElement(element, "participating-org", attrs), names)
    _narrative(
        ET.SubElement(element, "participating-org", {"role": "4", "ref": ILO, "type": ILO_TYPE}), ILO_NAME
    )


def _dates(r: Roles, element: ET.Element, project: dict[str, Any], today: dt.date, status: int) -> None:
    start, end = _date(project[r.start]), _date(project[r.end])
    started = status != IATI_PIPELINE and start is not None and start <= today
    ended = status == IATI_CLOSED and end is not None and end <= today
    for kind, day, shown in (("1", start, True), ("2", start, started), ("3", end, True), ("4", end, ended)):
        if shown and day is not None:
            ET.SubElement(element, "activity-date", {"type": kind, "iso-date": day.isoformat()})


def shares(countries: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Percentages that sum to exactly 100: given ones kept, missing ones shared equally, rounded to 2 dp."""
    if not countries:
        return []
    given = [p for _, p in countries if not math.isnan(p)]
    if len(given) == len(countries) and sum(given) > 0:
        raw = [p * 100 / sum(given) for _, p in countries]
    else:
        raw = [100 / len(countries)] * len(countries)
    rounded = [round(p, 2) for p in raw]
    rounded[-1] = round(100 - sum(rounded[:-1]), 2)
    return [(code, pct) for (code, _), pct in zip(countries, rounded, strict=True)]


def _recipients(standard: Standard, element: ET.Element, project: dict[str, Any]) -> None:
    countries = standard.codelist("countries").by_code
    parts = shares(split_recipients(str(project.get(standard.roles.recipients) or "")))
    unspecified = 0.0
    for code, pct in parts:
        country = countries.get(code, {})
        alpha2 = None if country.get("withdrawn") else country.get("alpha2")  # IATI lists current codes only
        if alpha2:
            ET.SubElement(element, "recipient-country", {"code": alpha2, "percentage": _number(pct)})
        else:  # a country that no longer exists (YUG, ZAR, SUN...): its share goes to region 998
            unspecified += pct
    if not parts or unspecified:
        pct = 100.0 if not parts else round(unspecified, 2)
        attrs = {"code": UNSPECIFIED_REGION, "vocabulary": "1", "percentage": _number(pct)}
        ET.SubElement(element, "recipient-region", attrs)


def budget_periods(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The project's span cut at each 31 December: no period longer than a year."""
    periods = []
    cursor = start
    while cursor <= end:
        stop = min(end, dt.date(cursor.year, 12, 31))
        periods.append((cursor, stop))
        cursor = stop + dt.timedelta(days=1)
    return periods


def _budgets(r: Roles, element: ET.Element, project: dict[str, Any]) -> None:
    start, end, total = _date(project[r.start]), _date(project[r.end]), project[r.budget_usd]
    if start is None or end is None or end < start or _missing(total):
        return
    periods = budget_periods(start, end)
    days = [(b - a).days + 1 for a, b in periods]
    amounts = [round(float(total) * d / sum(days), 2) for d in days]
    amounts[-1] = round(float(total) - sum(amounts[:-1]), 2)
    for (first, last), amount in zip(periods, amounts, strict=True):
        budget = ET.SubElement(element, "budget", {"type": "1", "status": "2"})
        ET.SubElement(budget, "period-start", {"iso-date": first.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": last.isoformat()})
        _value(budget, amount, "USD", first)


def _transactions(standard: Standard, element: ET.Element, finance: list[Record], today: dt.date) -> None:
    if not finance:
        return
    r = standard.roles
    current = {c["code"] for c in standard.codelist("currencies").items if not c.get("valid_until")}
    for period, lines in _sorted_groups(finance, r.period):
        day = min(_quarter(str(period))[1], today)
        approvals = sum(_number_or_zero(line.get(r.allocated_usd)) for line in lines)
        if approvals:
            _transaction(element, "2", day, [(float(approvals), "USD")])
        amounts: dict[str, float] = {}
        for line in lines:
            currency: Any = line.get(r.currency)
            local: Any = line.get(r.spent_local)
            usd: Any = line.get(r.spent_usd)
            if not _missing(currency) and currency in current and not _missing(local):
                amounts[currency] = amounts.get(currency, 0.0) + float(local)
            elif not _missing(usd):
                amounts["USD"] = amounts.get("USD", 0.0) + float(usd)
        _transaction(element, "4", day, [(v, c) for c, v in sorted(amounts.items()) if v])


def _transaction(element: ET.Element, kind: str, day: dt.date, values: Iterable[tuple[float, str]]) -> None:
    for amount, currency in values:
        transaction = ET.SubElement(element, "transaction")
        ET.SubElement(transaction, "transaction-type", {"code": kind})
        ET.SubElement(transaction, "transaction-date", {"iso-date": day.isoformat()})
        _value(transaction, amount, currency, day)


def _results(standard: Standard, element: ET.Element, results: list[Record]) -> None:
    if not results:
        return
    indicators = standard.codelist("indicators").by_code
    result_types = standard.codelist("result_levels").attribute("iati_result_type")
    measures = standard.codelist("indicator_units").attribute("iati_measure")
    r = standard.roles
    for code, lines in _sorted_groups(results, r.indicator):
        about = indicators.get(str(code), {})
        names = about.get("name") or {"en": str(code)}
        unit = about.get("unit", "count")
        result = ET.SubElement(
            element,
            "result",
            {
                "type": result_types.get(about.get("result_level", ""), DEFAULT_RESULT_TYPE),
                "aggregation-status": "1",
            },
        )
        _narratives(ET.SubElement(result, "title"), names)
        measure = measures.get(unit, DEFAULT_MEASURE)
        indicator = ET.SubElement(result, "indicator", {"measure": measure, "ascending": "1"})
        _narratives(ET.SubElement(indicator, "title"), names)
        for period, rows in _sorted_groups(lines, r.period):
            combine = _mean if unit == "percent" else _sum
            target, actual = combine(rows, r.target), combine(rows, r.actual)
            first, last = _quarter(str(period))
            block = ET.SubElement(indicator, "period")
            ET.SubElement(block, "period-start", {"iso-date": first.isoformat()})
            ET.SubElement(block, "period-end", {"iso-date": last.isoformat()})
            ET.SubElement(block, "target", {"value": _number(target)})
            ET.SubElement(block, "actual", {"value": _number(actual)})


# --- small helpers ---------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def _narrative(parent: ET.Element, text: Any) -> None:
    _text(parent, "narrative", str(text))


def _narratives(parent: ET.Element, names: dict[str, str]) -> None:
    """English first (the activity's language), then French and Spanish, each marked with its language."""
    _narrative(parent, names.get("en") or next(iter(names.values())))
    for lang in ("fr", "es"):
        if names.get(lang):
            ET.SubElement(parent, "narrative", {XML_LANG: lang}).text = names[lang]


def _value(parent: ET.Element, amount: float, currency: str, day: dt.date) -> None:
    value = ET.SubElement(parent, "value", {"currency": currency, "value-date": day.isoformat()})
    value.text = _number(amount)


def _number(value: Any) -> str:
    number = round(float(value), 2)
    return str(int(number)) if number.is_integer() else f"{number:.2f}"


def _numbers(rows: list[Record], column: str) -> list[float]:
    return [float(row[column]) for row in rows if not _missing(row.get(column))]


def _sum(rows: list[Record], column: str) -> float:
    """As pandas sums a column: missing values left out, 0 when none is given."""
    return float(sum(_numbers(rows, column)))


def _mean(rows: list[Record], column: str) -> float:
    """As pandas averages a column: missing values left out, NaN when none is given."""
    values = _numbers(rows, column)
    return sum(values) / len(values) if values else math.nan


def _number_or_zero(value: Any) -> float:
    return 0.0 if _missing(value) else float(value)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _date(value: Any) -> dt.date | None:
    if _missing(value):
        return None
    return pd.Timestamp(value).date()


def _datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quarter(period: str) -> tuple[dt.date, dt.date]:
    found = periods.bounds(period)
    assert found is not None, period  # consolidated periods are valid quarters
    return found
