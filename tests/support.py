"""Build small returns in any format for the tests (no binaries committed)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tcstandards.standard import load_standard
from tcstandards.validation.engine import validate_paths
from tcstandards.validation.findings import Finding, Report, column_letter

LIBREOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not on this machine: apt install libreoffice-calc-nogui, then run pytest -m slow",
)  # a test that opens what the tool writes in LibreOffice (CI installs it)

D = dt.date
TODAY = D(2026, 11, 28)
Q = "1997-Q3"
FIELDS = {name: list(record.field_names) for name, record in load_standard("1.0").record_types.items()}
SHEETS = {"projects": "Projects", "finance": "Finance", "results": "Results", "pipeline": "Pipeline"}
COVER_FIELDS = list(load_standard("1.0").cover.field_names)

BASE: dict[str, Any] = {
    "cover": {
        "standard_version": "1.0",
        "office_code": "DAKAR",
        "period": Q,
        "prepared_by": "Aminata Diallo",
        "email": "diallo@ilo-dakar.example.org",
        "prepared_on": D(1997, 10, 14),
    },
    "projects": [
        {
            "project_code": "RAF/96/M05/DAN",
            "title": "Vocational training for rural women",
            "admin_unit": "DAKAR",
            "technical_unit": "POLFORM",
            "ilo_region": "AFRICA",
            "recipient_countries": "SEN:40;MLI:60",
            "source_of_funds": "MULTIBI_TF",
            "donor_code": "DAN",
            "global_programme": "WOMEN_JOBS",
            "country_objective": None,
            "sector": "11330",
            "status": "IMPLEMENTATION",
            "approval_date": D(1996, 9, 12),
            "start_date": D(1997, 1, 1),
            "end_date": D(1999, 12, 31),
            "approved_budget_usd": 2_400_000,
        },
        {
            "project_code": "SEN/97/R01/RBT",
            "title": "Support to tripartite social dialogue",
            "admin_unit": "DAKAR",
            "technical_unit": "LEGREL",
            "ilo_region": "AFRICA",
            "recipient_countries": "SEN",
            "source_of_funds": "RBTC",
            "donor_code": None,
            "global_programme": None,
            "country_objective": "SEN101",
            "sector": "16080",
            "status": "IMPLEMENTATION",
            "approval_date": D(1997, 1, 15),
            "start_date": D(1997, 2, 1),
            "end_date": D(1997, 12, 31),
            "approved_budget_usd": 85_000,
        },
        {
            "project_code": "INT/97/M04/FIN",
            "title": "Trade union education on workers' rights",
            "admin_unit": "DAKAR",
            "technical_unit": "ACTRAV",
            "ilo_region": "INTERREGIONAL",
            "recipient_countries": None,
            "source_of_funds": "MULTIBI_TF",
            "donor_code": "FIN",
            "global_programme": "WORKERS_ACTIVITIES",
            "country_objective": None,
            "sector": "16070",
            "status": "IMPLEMENTATION",
            "approval_date": D(1997, 1, 8),
            "start_date": D(1997, 3, 1),
            "end_date": D(1998, 12, 31),
            "approved_budget_usd": 540_000,
        },
    ],
    "finance": [
        {
            "project_code": "RAF/96/M05/DAN",
            "period": Q,
            "country_code": "SEN",
            "approvals_usd": 0,
            "expenditure_usd": 61_200,
            "cumulative_expenditure_usd": 188_400,
            "local_currency": None,
            "expenditure_local": None,
            "usd_rate": None,
        },
        {
            "project_code": "RAF/96/M05/DAN",
            "period": Q,
            "country_code": "MLI",
            "approvals_usd": 0,
            "expenditure_usd": 48_900,
            "cumulative_expenditure_usd": 150_250,
            "local_currency": "XOF",
            "expenditure_local": 29_340_000,
            "usd_rate": 0.0016667,
        },
        {
            "project_code": "SEN/97/R01/RBT",
            "period": Q,
            "country_code": "SEN",
            "approvals_usd": 10_000,
            "expenditure_usd": 18_400,
            "cumulative_expenditure_usd": 52_750,
            "local_currency": None,
            "expenditure_local": None,
            "usd_rate": None,
        },
    ],
    "results": [
        {
            "project_code": "RAF/96/M05/DAN",
            "period": Q,
            "indicator_code": "PERSONS_TRAINED",
            "country_code": "MLI",
            "target": 250,
            "actual": 198,
            "women": 198,
            "men": 0,
            "evidence": "Centre registers",
        },
        {
            "project_code": "SEN/97/R01/RBT",
            "period": Q,
            "indicator_code": "SOCIAL_SECURITY_COVERAGE_PCT",
            "country_code": "SEN",
            "target": 12,
            "actual": 7.5,
            "women": None,
            "men": None,
            "evidence": "Survey",
        },
        {
            "project_code": "INT/97/M04/FIN",
            "period": Q,
            "indicator_code": "PERSONS_TRAINED",
            "country_code": None,
            "target": 400,
            "actual": 372,
            "women": 129,
            "men": 243,
            "evidence": "Course evaluations",
        },
    ],
    "pipeline": [
        {
            "proposal_id": "DAKAR-1997-004",
            "title": "Youth employment in Casamance",
            "partner_type": "MULTIBI_DONOR",
            "partner_code": "NET",
            "global_programme": None,
            "requested_usd": 1_200_000,
            "status": "NEGOTIATION",
            "submitted_on": D(1997, 5, 6),
            "decided_on": None,
            "approved_usd": None,
            "project_code": None,
        },
        {
            "proposal_id": "DAKAR-1997-007",
            "title": "Child labour in gold mining in Mali",
            "partner_type": "MULTIBI_DONOR",
            "partner_code": "GER",
            "global_programme": "IPEC",
            "requested_usd": 650_000,
            "status": "APPROVED",
            "submitted_on": D(1997, 3, 3),
            "decided_on": D(1997, 8, 29),
            "approved_usd": 620_000,
            "project_code": "MLI/97/M02/GER",
        },
    ],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def cell(kind: str, field: str, index: int) -> str:
    """Workbook address of record ``index`` (0-based) of ``kind``: header on row 1."""
    return f"{SHEETS[kind]}!{column_letter(FIELDS[kind].index(field) + 1)}{index + 2}"


def cover_cell(field: str) -> str:
    return f"Cover!B{COVER_FIELDS.index(field) + 2}"


def write_xlsx(data: dict[str, Any], path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.append(["field", "value"])
    for key in COVER_FIELDS:
        if key in data["cover"]:
            ws.append([key, data["cover"][key]])
    for kind, fields in FIELDS.items():
        if kind not in data:
            continue
        sheet = wb.create_sheet(SHEETS[kind])
        sheet.append(fields)
        for record in data[kind]:
            sheet.append([record.get(f) for f in fields])
    wb.save(path)
    return path


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(data: dict[str, Any], folder: Path, *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    office, period = data["cover"].get("office_code", "DAKAR"), data["cover"].get("period", Q)
    with (folder / f"{office}_{period}_cover.csv").open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["field", "value"])
        for key in COVER_FIELDS:
            if key in data["cover"]:
                writer.writerow([key, _text(data["cover"][key])])
    for kind, fields in FIELDS.items():
        if kind not in data:
            continue
        with (folder / f"{office}_{period}_{kind}.csv").open("w", newline="", encoding=encoding) as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(fields)
            for record in data[kind]:
                writer.writerow([_text(record.get(f)) for f in fields])
    return folder


def write_json(data: dict[str, Any], path: Path) -> Path:
    document = {
        key: (
            {k: _text(v) for k, v in value.items()}
            if key == "cover"
            else [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items() if v is not None}
                for r in value
            ]
        )
        for key, value in data.items()
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def check(*paths: Path | str, lang: str = "en") -> Report:
    return validate_paths([str(p) for p in paths], lang=lang, today=TODAY)


def found(report: Report, rule: str | None = None) -> list[tuple[str, str]]:
    """(rule, location) of every finding, or only those of ``rule``."""
    return [(f.rule, f.location) for f in report.findings if rule is None or f.rule == rule]


def only(report: Report, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]
