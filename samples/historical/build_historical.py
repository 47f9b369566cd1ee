"""Write the quarterly returns of 1990-1996 that reproduce the figures of GB.270/TC/2 (deterministic).

    python samples/historical/build_historical.py              # into samples/historical/returns/
    python samples/historical/build_historical.py --out DIR

Thirteen units report every quarter (a JSON return each, 356 in all): the
regional offices, area offices and the MDT for Europe that administer the
projects of their region, EMPFORM for interregional projects and IPEC (from
1992) for the projects of its programme.  Each file's modification time is set
to the day HQ received it, so that ``tcstandards consolidate --received-at
mtime`` rebuilds the timeliness of the period.

The amounts are planned top-down, in cents, so that the consolidated report
gives the figures of paragraphs 17-20 of the paper (see the table at the end
of spec section 4 and ``TARGETS`` below): the year's expenditure is split by
source of funds, then by ILO region (the same regional shares for every
source), then over projects; every project lasts one calendar year and
spends its amount over four quarters.  All returns validate with no finding.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "returns"
YEARS = range(1990, 1997)
SEED = 1997

# Millions of USD and percentages, per year 1990..1996.
TARGETS: dict[str, Sequence[float]] = {
    "expenditure": (155.0, 169.5, 161.2, 147.6, 131.3, 114.8, 98.2),
    "UNDP": (45.9, 43.0, 40.1, 36.5, 32.0, 28.2, 24.9),  # % of expenditure
    "UNFPA": (7.6, 7.4, 7.2, 6.9, 6.5, 6.1, 5.8),
    "TRUST_FUNDS": (37.8, 41.0, 44.3, 48.6, 53.9, 58.4, 62.2),
    "RBTC": (8.7, 8.6, 8.4, 8.0, 7.6, 7.3, 7.1),
    "multi_bilateral": (40.0, 42.5, 45.0, 47.0, 49.0, 50.5, 52.0),  # M USD, associate experts apart
    "associate_experts": (7.0, 6.5, 6.0, 5.5, 5.0, 4.5, 4.0),
    "approvals": (165.6, 150.0, 121.0, 95.0, 69.7, 114.0, 114.0),  # extra-budgetary, M USD
    "EUROPE": (2.2, 3.0, 4.5, 6.0, 7.4, 8.8, 8.0),  # M USD
    "AFRICA": (40.0, 39.5, 39.0, 38.5, 38.0, 37.5, 37.0),  # % of expenditure
    "ASIA_PACIFIC": (24.0, 24.2, 24.4, 24.6, 24.8, 25.0, 25.2),
    "AMERICAS": (18.0, 17.8, 17.6, 17.4, 17.2, 17.1, 17.0),
    "ARAB_STATES": (7.0, 6.9, 6.8, 6.7, 6.6, 6.6, 6.5),
}
# Countries with expenditure each year, per region (1990: 134; 1995: 151).
COUNTRY_COUNTS = {
    "AFRICA": (50,) * 7,
    "ASIA_PACIFIC": (35,) * 7,
    "AMERICAS": (33,) * 7,
    "ARAB_STATES": (10, 10, 10, 11, 11, 11, 11),
    "EUROPE": (6, 9, 13, 17, 20, 22, 21),
}
COUNTRIES = {
    "AFRICA": "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ETH GAB GHA GIN GMB GNB GNQ "
    "KEN LBR LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM STP SWZ TCD TGO TUN TZA "
    "UGA ZAF ZMB ZWE",
    "ASIA_PACIFIC": "AFG BGD BTN CHN FJI FSM IDN IND IRN KHM KIR LAO LKA MDV MHL MMR MNG MYS NPL PAK PHL "
    "PNG PRK SLB THA TON TUV VNM VUT WSM KOR SGP BRN NRU PLW",
    "AMERICAS": "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA LCA "
    "MEX NIC PAN PER PRY SLV SUR TTO URY VCT VEN",
    "ARAB_STATES": "JOR LBN SYR YEM PSE IRQ OMN BHR QAT ARE KWT SAU",
    "EUROPE": "TUR CYP MLT POL HUN ROU BGR ALB CZE SVK RUS UKR BLR EST LVA LTU MDA ARM AZE GEO KAZ KGZ "
    "UZB TJK",
}
REGIONS = ("AFRICA", "ASIA_PACIFIC", "AMERICAS", "ARAB_STATES", "EUROPE", "INTERREGIONAL")
PREFIX = {"INTERREGIONAL": "INT"}
OFFICES = {
    "AFRICA": ("ABIDJAN", "DAKAR", "ADDIS", "HARARE"),
    "ASIA_PACIFIC": ("BANGKOK", "MANILA", "NEWDELHI"),
    "AMERICAS": ("LIMA", "SANJOSE"),
    "ARAB_STATES": ("BEIRUT",),
    "EUROPE": ("BUDAPEST",),
    "INTERREGIONAL": ("EMPFORM",),
}
IPEC_FROM = 1992
REPORTING = [o for offices in OFFICES.values() for o in offices] + ["IPEC"]
# Multi-bilateral donors: the four largest hold 70 % every year; more join over the years.
TOP_DONORS = {"GER": 22, "DAN": 18, "NOR": 15, "NET": 15}
OTHER_DONORS = [
    "SWE",
    "FIN",
    "BEL",
    "ITA",
    "JPN",
    "USA",
    "SWI",
    "FRA",
    "UKM",
    "CAN",
    "AUS",
    "AUT",
    "SPA",
    "LUX",
    "POR",
    "IRE",
    "NZE",
    "KOR",
    "SAU",
]
OTHER_DONOR_COUNT = (14, 15, 16, 17, 18, 18, 19)
IPEC_DONORS = ("GER", "NOR", "SPA", "BEL", "USA", "FRA", "AUS", "ITA")
OTHER_TF = {"WORLD_BANK": 30, "REGIONAL_DEV_BANK": 25, "EU": 25, "UN_OTHER": 20}
REGIONAL_BANK = {
    "AFRICA": "AFB",
    "ASIA_PACIFIC": "ASB",
    "AMERICAS": "IDB",
    "ARAB_STATES": "ISB",
    "EUROPE": "EBR",
}
DONOR_OF = {"UNDP": "UND", "UNFPA": "UNF", "WORLD_BANK": "WBK", "EU": "EEC", "UN_OTHER": "UNI"}
SUFFIX = {"RBTC": "RBT", "RBSA": "RBS"}
LETTER = {"MULTIBI_TF": "M", "ASSOCIATE_EXPERTS": "A", "RBTC": "R", "RBSA": "S", "UNFPA": "F", "EU": "E"}
# (source, fraction of a region's active countries with a project of that source)
COVERAGE = {"UNDP": 1.0, "UNFPA": 0.35, "RBTC": 0.5, "RBSA": 0.2, "ASSOCIATE_EXPERTS": 0.2}
PROGRAMMES = (
    "WOMEN_JOBS",
    "EXCLUSION_POVERTY",
    "SOCIAL_DIALOGUE",
    "WORKERS_ACTIVITIES",
    "EMPLOYERS_ACTIVITIES",
)
UNITS = ("POLEMP", "POLFORM", "DEVPOL", "ENTMAN", "COOP", "SECHYG", "CONDTRAV", "SECSOC", "LEGREL", "ADMITRA")
SECTORS = ("16020", "11330", "16010", "32130", "16070", "16080", "25010", "43030")
THEMES = (
    "Employment promotion for young people",
    "Vocational training for rural women",
    "Small enterprise development",
    "Labour-intensive rural infrastructure",
    "Social security reform",
    "Strengthening labour administration",
    "Workers' education and trade union rights",
    "Support to employers' organizations",
    "Cooperative development",
    "Occupational safety and health",
)
INDICATORS = ("PERSONS_TRAINED", "ENTERPRISES_SUPPORTED", "SOCIAL_SECURITY_COVERAGE_PCT", "JOBS_CREATED")
QUARTER_WEIGHTS = (22, 25, 26, 27)
# Days after the end of the quarter on which each office sends its return (BEIRUT, IPEC: late).
DELAY = {o: 12 + 3 * i for i, o in enumerate(REPORTING)} | {"BEIRUT": 52, "IPEC": 50}


def cents(millions: float) -> int:
    return round(millions * 100_000_000)


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` cents in parts proportional to ``weights``, exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass
class Project:
    code: str
    year: int
    source: str
    donor: str | None
    region: str
    country: str | None
    office: str
    spent: int  # cents in the year
    programme: str | None = None
    approval: int = 0
    quarters: list[int] = field(default_factory=list)
    unit: str = "POLEMP"
    sector: str = "16020"
    title: str = ""
    indicator: str | None = None


class Planner:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.numbers: dict[tuple[str, int], int] = {}

    def code(self, prefix: str, year: int, source: str, suffix: str) -> str:
        number = self.numbers.get((prefix, year), 0) + 1
        self.numbers[(prefix, year)] = number
        return f"{prefix}/{year % 100:02d}/{LETTER.get(source, '')}{number:02d}/{suffix}"

    def countries(self, region: str, year: int) -> list[str]:
        if region == "INTERREGIONAL":
            return []
        return COUNTRIES[region].split()[: COUNTRY_COUNTS[region][year - 1990]]

    def region_weights(self, i: int) -> list[float]:
        total = TARGETS["expenditure"][i]
        shares = {r: TARGETS[r][i] for r in ("AFRICA", "ASIA_PACIFIC", "AMERICAS", "ARAB_STATES")}
        shares["EUROPE"] = 100 * TARGETS["EUROPE"][i] / total
        shares["INTERREGIONAL"] = 100 - sum(shares.values())
        return [shares[r] for r in REGIONS]

    def year(self, year: int) -> list[Project]:
        i = year - 1990
        total = cents(TARGETS["expenditure"][i])
        undp, unfpa, tf, rb = split(total, [TARGETS[g][i] for g in ("UNDP", "UNFPA", "TRUST_FUNDS", "RBTC")])
        mb, ae = cents(TARGETS["multi_bilateral"][i]), cents(TARGETS["associate_experts"][i])
        sources = {"UNDP": undp, "UNFPA": unfpa, "MULTIBI_TF": mb, "ASSOCIATE_EXPERTS": ae}
        sources.update(zip(OTHER_TF, split(tf - mb - ae, list(OTHER_TF.values())), strict=True))
        sources.update(zip(("RBTC", "RBSA"), split(rb, [85, 15]), strict=True))
        weights = self.region_weights(i)
        projects: list[Project] = []
        for source, amount in sources.items():
            for region, cell in zip(REGIONS, split(amount, weights), strict=True):
                if source == "MULTIBI_TF":
                    projects += self.multi_bilateral(year, region, cell)
                else:
                    projects += self.national(year, source, region, cell)
        self.approvals(year, projects)
        for p in projects:
            p.quarters = split(p.spent, QUARTER_WEIGHTS)
        return projects

    def donors(self, year: int) -> dict[str, float]:
        others = OTHER_DONORS[: OTHER_DONOR_COUNT[year - 1990]]
        weights = [self.rng.uniform(0.5, 1.5) for _ in others]
        scale = 30 / sum(weights)
        return TOP_DONORS | {d: w * scale for d, w in zip(others, weights, strict=True)}

    def multi_bilateral(self, year: int, region: str, amount: int) -> list[Project]:
        donors = self.donors(year)
        countries = self.countries(region, year)
        projects = []
        for k, (donor, part) in enumerate(zip(donors, split(amount, list(donors.values())), strict=True)):
            country = countries[(k * 7 + year) % len(countries)] if countries else None
            ipec = year >= IPEC_FROM and donor in IPEC_DONORS and region != "INTERREGIONAL"
            projects.append(self.project(year, "MULTIBI_TF", donor, region, country, part, ipec))
        return projects

    def national(self, year: int, source: str, region: str, amount: int) -> list[Project]:
        countries = self.countries(region, year)
        if not countries:
            places: list[str | None] = [None, None] if source in ("UNDP", "RBTC") else [None]
        else:
            share = COVERAGE.get(source, 0.15)
            start = (year * 5 + len(source)) % len(countries)
            chosen = max(1, round(share * len(countries)))
            places = [countries[(start + j) % len(countries)] for j in range(chosen)]
        parts = split(amount, [self.rng.uniform(0.5, 1.5) for _ in places])
        projects = []
        for j, (country, part) in enumerate(zip(places, parts, strict=True)):
            if source == "REGIONAL_DEV_BANK":
                donor: str | None = REGIONAL_BANK.get(region, "AFB")
            elif source == "ASSOCIATE_EXPERTS":
                donor = list(TOP_DONORS)[j % 4]
            else:
                donor = DONOR_OF.get(source)
            projects.append(self.project(year, source, donor, region, country, part, False))
        return projects

    def project(
        self,
        year: int,
        source: str,
        donor: str | None,
        region: str,
        country: str | None,
        spent: int,
        ipec: bool,
    ) -> Project:
        prefix = PREFIX.get(region) or country or "INT"
        code = self.code(prefix, year, source, donor or SUFFIX[source])
        offices = OFFICES[region]
        office = "IPEC" if ipec else offices[self.numbers[(prefix, year)] % len(offices)]
        n = self.rng.randrange(1000)
        programme = "IPEC" if ipec else (PROGRAMMES[n % len(PROGRAMMES)] if n % 5 < 2 else None)
        where = f" in {country}" if country else " (interregional)"
        return Project(
            code=code,
            year=year,
            source=source,
            donor=donor,
            region=region,
            country=country,
            office=office,
            spent=spent,
            programme=programme,
            unit="IPEC" if ipec else UNITS[n % len(UNITS)],
            sector="16020" if ipec else SECTORS[n % len(SECTORS)],
            title=("Elimination of child labour" if ipec else THEMES[n % len(THEMES)]) + where,
            indicator=None if n % 3 else ("CHILDREN_WITHDRAWN" if ipec else INDICATORS[n % len(INDICATORS)]),
        )

    def approvals(self, year: int, projects: list[Project]) -> None:
        extra = [p for p in projects if p.source not in ("RBTC", "RBSA")]
        boost = 6.0 if year >= 1995 else 1.0
        weights = [p.spent * (boost if p.programme == "IPEC" else 1.0) for p in extra]
        for p, amount in zip(extra, split(cents(TARGETS["approvals"][year - 1990]), weights), strict=True):
            p.approval = amount


# --- writing the returns --------------------------------------------------------------


def quarter_end(year: int, quarter: int) -> dt.date:
    return dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)


def usd(amount: int) -> float:
    return amount / 100


def project_record(p: Project, quarter: int) -> dict[str, Any]:
    budget = max(p.approval, p.spent)
    return {
        "project_code": p.code,
        "title": p.title,
        "admin_unit": p.office,
        "technical_unit": p.unit,
        "ilo_region": p.region,
        "recipient_countries": p.country,
        "source_of_funds": p.source,
        "donor_code": p.donor,
        "global_programme": p.programme,
        "sector": p.sector,
        "status": "FINALISATION" if quarter == 4 else "IMPLEMENTATION",
        "approval_date": dt.date(p.year - 1, 12, 10).isoformat(),
        "start_date": dt.date(p.year, 1, 1).isoformat(),
        "end_date": dt.date(p.year, 12, 31).isoformat(),
        "approved_budget_usd": usd(budget),
    }


def finance_record(p: Project, period: str, quarter: int) -> dict[str, Any]:
    return {
        "project_code": p.code,
        "period": period,
        "country_code": p.country,
        "approvals_usd": usd(p.approval) if quarter == 1 else 0,
        "expenditure_usd": usd(p.quarters[quarter - 1]),
        "cumulative_expenditure_usd": usd(sum(p.quarters[:quarter])),
    }


def result_record(p: Project, period: str, quarter: int) -> dict[str, Any]:
    assert p.indicator is not None
    n = int(p.code.split("/")[2].lstrip("ABEFMRS")) + p.year
    if p.indicator == "SOCIAL_SECURITY_COVERAGE_PCT":
        target: float = 20 + n % 40
        actual: float = round(target * (0.5 + 0.1 * quarter), 1)
        return _result(p, period, target, actual)
    target = 100 * (1 + n % 20) if p.indicator != "ENTERPRISES_SUPPORTED" else 10 + n % 30
    actual = round(target * quarter / 4 * (0.7 + (n % 5) / 10))
    record = _result(p, period, target, actual)
    if p.indicator in ("PERSONS_TRAINED", "CHILDREN_WITHDRAWN", "JOBS_CREATED"):
        women = round(actual * (0.35 + (n % 4) / 10))
        record |= {"women": women, "men": int(actual - women)}
    return record


def _result(p: Project, period: str, target: float, actual: float) -> dict[str, Any]:
    return {
        "project_code": p.code,
        "period": period,
        "indicator_code": p.indicator,
        "country_code": p.country,
        "target": target,
        "actual": actual,
    }


PARTNERS = ("GER", "DAN", "NOR", "NET", "SWE", "UND", "WBK", "EEC", "FES", "UNI", "JPN", "AFB")
PARTNER_TYPES = {
    "UND": "UN_SYSTEM",
    "UNI": "UN_SYSTEM",
    "WBK": "WORLD_BANK",
    "EEC": "EU",
    "FES": "FOUNDATION",
    "AFB": "REGIONAL_DEV_BANK",
}
STATUSES = (
    "APPROVED",
    "DECLINED",
    "SUBMITTED",
    "APPROVED",
    "NEGOTIATION",
    "CONCEPT",
    "APPROVED",
    "WITHDRAWN",
)


def pipeline_records(office: str, year: int, quarter: int, counter: list[int]) -> list[dict[str, Any]]:
    records = []
    start = quarter_end(year, quarter) - dt.timedelta(days=80)
    for k in range(2):
        counter[0] += 1
        n = counter[0]
        status = STATUSES[(n + len(office)) % len(STATUSES)]
        partner = PARTNERS[(n * 5 + len(office)) % len(PARTNERS)]
        requested = 50_000 * (2 + (n * 7) % 30)
        record: dict[str, Any] = {
            "proposal_id": f"{office}-{year}-{n:03d}",
            "title": f"{THEMES[(n + k) % len(THEMES)]}: new proposal",
            "partner_type": PARTNER_TYPES.get(partner, "MULTIBI_DONOR"),
            "partner_code": partner,
            "global_programme": "IPEC" if office == "IPEC" else None,
            "requested_usd": requested,
            "status": status,
        }
        if status != "CONCEPT":
            record["submitted_on"] = (start + dt.timedelta(days=5 * k)).isoformat()
        if status in ("APPROVED", "DECLINED"):
            record["decided_on"] = (start + dt.timedelta(days=60 + k)).isoformat()
        if status == "APPROVED":
            record["approved_usd"] = requested * 9 // 10
            record["project_code"] = f"INT/{year % 100:02d}/9{n % 100:02d}/{partner}"
        records.append(record)
    return records


def write(out: Path) -> list[Path]:
    planner = Planner()
    plan = {year: planner.year(year) for year in YEARS}
    written = []
    counters = {office: [0] for office in REPORTING}
    for year in YEARS:
        for quarter in (1, 2, 3, 4):
            period = f"{year}-Q{quarter}"
            end = quarter_end(year, quarter)
            folder = out / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            for office in REPORTING:
                if office == "IPEC" and year < IPEC_FROM:
                    continue
                mine = [p for p in plan[year] if p.office == office]
                prepared = end + dt.timedelta(days=DELAY[office] - 2)
                document = {
                    "cover": {
                        "standard_version": "1.0",
                        "office_code": office,
                        "period": period,
                        "prepared_by": f"TC focal point, {office.title()}",
                        "email": f"tc@{office.lower()}.ilo.example.org",
                        "prepared_on": prepared.isoformat(),
                    },
                    "projects": [_clean(project_record(p, quarter)) for p in mine],
                    "finance": [_clean(finance_record(p, period, quarter)) for p in mine],
                    "results": [_clean(result_record(p, period, quarter)) for p in mine if p.indicator],
                    "pipeline": [
                        _clean(r) for r in pipeline_records(office, year, quarter, counters[office])
                    ],
                }
                path = folder / f"{office}_{period}.json"
                path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                received = dt.datetime.combine(end + dt.timedelta(days=DELAY[office]), dt.time(9), dt.UTC)
                os.utime(path, (received.timestamp(), received.timestamp()))
                written.append(path)
    return written


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v is not None}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write into (default: {OUT})")
    args = parser.parse_args(argv)
    written = write(args.out)
    print(f"wrote {len(written)} returns (1990-Q1 to 1996-Q4) under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
