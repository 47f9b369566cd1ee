#!/usr/bin/env python
"""Benchmark ``tcstandards validate`` on a large, valid TCDS 1.0 return.

    python benchmarks/bench_validate.py                 # 50,000 projects + 50,000 finance lines, best of 3
    python benchmarks/bench_validate.py --rows 5000 --repeat 5
    python benchmarks/bench_validate.py --regenerate    # rebuild the data files
    python benchmarks/bench_validate.py --profile       # also print a cProfile of validate on the workbook

The script generates (deterministically, from a seed) one return of office
DAKAR for 1997-Q3 -- a Cover, a Projects and a Finance sheet -- once as an
.xlsx workbook and once as CSV files, under ``benchmarks/data/`` (git-ignored;
reused while it exists).  It checks that the return validates with no error,
then times, in this process and best of ``--repeat`` after one warm-up run:

* ``pandas.read_excel(path, sheet_name=None, engine="calamine")`` -- the floor for a workbook;
* ``validate_paths([workbook])`` -- what ``tcstandards validate`` does;
* ``pandas.read_csv`` of each CSV file of the return (summed) -- the floor for CSV;
* ``validate_paths([csv folder])``;

and once, in a subprocess, the whole command line
``python -m tcstandards validate WORKBOOK --format json`` (interpreter
start-up and imports included, output discarded).

Targets: validate / read_excel <= 1.5 and validate / read_csv <= 2.5.  The
script always exits 0: it is a measurement, not a test.

Only the standard library, pandas, openpyxl and tcstandards are used.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tcstandards.standard import load_standard

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GENERATOR_VERSION = 1  # bump when the generated data change, so that old data are rebuilt

OFFICE = "DAKAR"
PERIOD = "1997-Q3"
PERIOD_END = dt.date(1997, 9, 30)
TARGET_EXCEL = 1.5
TARGET_CSV = 2.5

COVER = [
    ("standard_version", "1.0"),
    ("office_code", OFFICE),
    ("period", PERIOD),
    ("prepared_by", "Aminata Diallo"),
    ("email", "diallo@ilo-dakar.example.org"),
    ("prepared_on", dt.date(1997, 10, 14)),
]
PROJECT_FIELDS = list(load_standard().record_types["projects"].field_names)
FINANCE_FIELDS = list(load_standard().record_types["finance"].field_names)

# ISO3 (all in the ILO's Africa region), the French phrase used in titles, local currency
# valid in 1997 and its approximate 1997 value in US dollars.
COUNTRIES = [
    ("SEN", "au Sénégal", "XOF", 0.00172),
    ("MLI", "au Mali", "XOF", 0.00172),
    ("GMB", "en Gambie", "GMD", 0.098),
    ("GNB", "en Guinée-Bissau", "XOF", 0.00172),
    ("GIN", "en Guinée", "GNF", 0.00087),
    ("MRT", "en Mauritanie", "MRO", 0.0066),
    ("CPV", "au Cap-Vert", "CVE", 0.0107),
    ("BFA", "au Burkina Faso", "XOF", 0.00172),
    ("NER", "au Niger", "XOF", 0.00172),
    ("CIV", "en Côte d'Ivoire", "XOF", 0.00172),
    ("BEN", "au Bénin", "XOF", 0.00172),
    ("TGO", "au Togo", "XOF", 0.00172),
    ("GHA", "au Ghana", "GHC", 0.00049),
    ("NGA", "au Nigéria", "NGN", 0.0457),
    ("SLE", "en Sierra Leone", "SLL", 0.00112),
    ("LBR", "au Libéria", "LRD", 1.0),
    ("CMR", "au Cameroun", "XAF", 0.00172),
    ("TCD", "au Tchad", "XAF", 0.00172),
    ("GAB", "au Gabon", "XAF", 0.00172),
    ("CAF", "en République centrafricaine", "XAF", 0.00172),
    ("COG", "au Congo", "XAF", 0.00172),
    ("KEN", "au Kenya", "KES", 0.0172),
    ("TZA", "en Tanzanie", "TZS", 0.00162),
    ("UGA", "en Ouganda", "UGX", 0.0009),
    ("RWA", "au Rwanda", "RWF", 0.0033),
    ("BDI", "au Burundi", "BIF", 0.0029),
    ("ETH", "en Éthiopie", "ETB", 0.149),
    ("MDG", "à Madagascar", "MGF", 0.00019),
    ("MUS", "à Maurice", "MUR", 0.047),
    ("MWI", "au Malawi", "MWK", 0.061),
    ("MOZ", "au Mozambique", "MZM", 0.000087),
    ("ZMB", "en Zambie", "ZMK", 0.00075),
    ("ZWE", "au Zimbabwe", "ZWD", 0.082),
    ("BWA", "au Botswana", "BWP", 0.27),
    ("NAM", "en Namibie", "NAD", 0.217),
    ("LSO", "au Lesotho", "LSL", 0.217),
    ("SWZ", "au Swaziland", "SZL", 0.217),
    ("ZAF", "en Afrique du Sud", "ZAR", 0.217),
    ("MAR", "au Maroc", "MAD", 0.105),
    ("DZA", "en Algérie", "DZD", 0.0173),
    ("TUN", "en Tunisie", "TND", 0.88),
    ("EGY", "en Égypte", "EGP", 0.294),
    ("DJI", "à Djibouti", "DJF", 0.0056),
    ("COM", "aux Comores", "KMF", 0.0023),
    ("SYC", "aux Seychelles", "SCR", 0.196),
    ("STP", "à Sao Tomé-et-Principe", "STD", 0.00035),
]
COUNTRY = {c[0]: c for c in COUNTRIES}
SUBREGIONS = [
    "en Afrique de l'Ouest",
    "en Afrique centrale",
    "en Afrique de l'Est",
    "en Afrique australe",
    "en Afrique du Nord",
    "au Sahel",
    "en Afrique francophone",
    "en Afrique",
]
THEMES = [
    "Appui à la promotion de l'emploi des jeunes",
    "Formation professionnelle des femmes rurales",
    "Mutuelles de santé et protection sociale",
    "Appui au dialogue social tripartite",
    "Travaux à haute intensité de main-d'oeuvre",
    "Développement des petites entreprises",
    "Renforcement de l'administration du travail",
    "Élimination du travail des enfants",
    "Coopératives d'épargne et de crédit",
    "Sécurité et santé au travail dans l'agriculture",
    "Réforme de la sécurité sociale",
    "Information sur le marché du travail",
    "Éducation ouvrière et droits syndicaux",
    "Appui aux organisations d'employeurs",
    "Réinsertion des travailleurs licenciés",
    "Égalité de chances entre hommes et femmes",
    "Promotion des normes internationales du travail",
    "Emploi et lutte contre la pauvreté urbaine",
    "Réhabilitation des routes rurales à haute intensité de main-d'oeuvre",
    "Formation à la gestion des petites entreprises (GERME)",
]
PHASES = ["", "", "", " (phase II)", " (phase III)", " - projet pilote"]
TECHNICAL_UNITS = [
    "POLEMP",
    "POLFORM",
    "DEVPOL",
    "EIP",
    "MIGRANT",
    "ENTMAN",
    "COOP",
    "SECHYG",
    "CONDTRAV",
    "SECSOC",
    "APPL",
    "LIBSYND",
    "EGALITE",
    "LEGREL",
    "ADMITRA",
    "ACTRAV",
    "ACTEMP",
    "IPEC",
    "FEMMES",
    "STAT",
]
SECTORS = [
    "11330",
    "11430",
    "13010",
    "15110",
    "15150",
    "16010",
    "16020",
    "16030",
    "16062",
    "16064",
    "16070",
    "16080",
    "24030",
    "25010",
    "32130",
    "32161",
    "43030",
    "43040",
]
PROGRAMMES = [
    "IPEC",
    "WOMEN_JOBS",
    "EXCLUSION_POVERTY",
    "SOCIAL_DIALOGUE",
    "POST_CONFLICT",
    "WORKERS_ACTIVITIES",
    "EMPLOYERS_ACTIVITIES",
]
BILATERAL = [
    "DAN",
    "NET",
    "NOR",
    "GER",
    "FIN",
    "SWE",
    "BEL",
    "ITA",
    "JPN",
    "USA",
    "SWI",
    "FRA",
    "SPA",
    "CAN",
    "LUX",
]
# source of funds, weight, donor codes (None: no donor; the code then ends in the given suffix), middle letter
SOURCES = [
    ("MULTIBI_TF", 45, BILATERAL, "M"),
    ("UNDP", 22, ["UND"], ""),
    ("RBTC", 8, None, "R"),
    ("UNFPA", 5, ["UNF"], "F"),
    ("EU", 5, ["EEC"], "E"),
    ("WORLD_BANK", 4, ["WBK"], "W"),
    ("REGIONAL_DEV_BANK", 3, ["AFB"], "B"),
    ("ASSOCIATE_EXPERTS", 3, BILATERAL, "A"),
    ("RBSA", 2, None, "S"),
]
NO_DONOR_SUFFIX = {"RBTC": "RBT", "RBSA": "RBS"}


# --- generation ---------------------------------------------------------------------------


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _split_100(rng: random.Random, k: int) -> list[int]:
    weights = [rng.randint(1, 10) for _ in range(k)]
    total = sum(weights)
    pct = [100 * w // total for w in weights]
    pct[0] += 100 - sum(pct)
    return pct


def generate(rows: int, seed: int) -> tuple[list[list[Any]], list[list[Any]]]:
    """``rows`` projects and ``rows`` finance lines, valid against TCDS 1.0 (plain Python values)."""
    rng = random.Random(seed)
    source_names = [s[0] for s in SOURCES]
    source_weights = [s[1] for s in SOURCES]
    sources = {s[0]: s for s in SOURCES}
    codes: set[str] = set()
    projects: list[list[Any]] = []
    # per project: (code, [(country or None, share)], budget, fraction spent)
    lines_of: list[tuple[str, list[tuple[str | None, float]], int, float]] = []
    while len(projects) < rows:
        source, _, donors, letter = sources[rng.choices(source_names, source_weights)[0]]
        donor = rng.choice(donors) if donors else None
        suffix = donor or NO_DONOR_SUFFIX[source]
        year = rng.randint(90, 97)
        kind = rng.random()
        if kind < 0.01:  # interregional: no recipient countries
            prefix, region, recipients, where = "INT", "INTERREGIONAL", [], "dans plusieurs régions"
        elif kind < 0.35:  # regional Africa: 2 to 5 countries with shares
            chosen = rng.sample(COUNTRIES, rng.randint(2, 5))
            shares = _split_100(rng, len(chosen))
            prefix, region, where = "RAF", "AFRICA", rng.choice(SUBREGIONS)
            recipients = [(c[0], p) for c, p in zip(chosen, shares, strict=True)]
        else:  # one country
            country = rng.choice(COUNTRIES)
            prefix, region, where = country[0], "AFRICA", country[1]
            recipients = [(country[0], None)]
        number = rng.randint(1, 999)
        if letter:
            middle = (
                f"{letter}{number:02d}" if number < 100 or rng.random() < 0.5 else f"{letter}{number:03d}"
            )
        else:
            middle = f"{number:03d}"
        code = f"{prefix}/{year:02d}/{middle}/{suffix}"
        if code in codes:
            continue
        codes.add(code)
        approval_end = dt.date(1997, 6, 30) if year == 97 else dt.date(1900 + year, 12, 31)
        approval = _date_between(rng, dt.date(1900 + year, 1, 2), approval_end)
        start = min(approval + dt.timedelta(days=rng.randint(15, 200)), PERIOD_END)
        end = max(
            start + dt.timedelta(days=rng.randint(365, 5 * 365)),
            _date_between(rng, dt.date(1997, 7, 31), dt.date(2001, 12, 31)),
        )
        status = "FINALISATION" if end <= dt.date(1997, 12, 31) else "IMPLEMENTATION"
        if rng.random() < 0.03:
            status = "SUSPENDED"
        budget = rng.randint(100, 10_000) * 500
        title = rng.choice(THEMES) + " " + where + rng.choice(PHASES)
        if len(recipients) > 1:
            recipient_text = ";".join(f"{c}:{p}" for c, p in recipients)
        else:
            recipient_text = recipients[0][0] if recipients else None
        objective = f"{prefix}{rng.randint(101, 112)}" if prefix in COUNTRY and rng.random() < 0.5 else None
        projects.append(
            [
                code,
                title,
                OFFICE,
                rng.choice(TECHNICAL_UNITS),
                region,
                recipient_text,
                source,
                donor,
                rng.choice(PROGRAMMES) if rng.random() < 0.6 else None,
                objective,
                rng.choice(SECTORS),
                status,
                approval,
                start,
                end,
                budget,
            ]
        )
        spent = rng.uniform(0.05, 0.95)
        if not recipients:
            lines_of.append((code, [(None, 1.0)], budget, spent))
        else:
            lines_of.append(
                (code, [(c, (p if p is not None else 100) / 100) for c, p in recipients], budget, spent)
            )
    pairs = [(i, j) for i, (_, countries, _, _) in enumerate(lines_of) for j in range(len(countries))]
    if len(pairs) < rows:
        raise SystemExit(f"only {len(pairs)} (project, country) pairs for {rows} finance lines")
    chosen_pairs = sorted(rng.sample(pairs, rows))
    finance: list[list[Any]] = []
    for i, j in chosen_pairs:
        code, countries, budget, spent = lines_of[i]
        country, share = countries[j]
        cumulative = round(budget * spent * share, 2)
        expenditure = round(cumulative * rng.uniform(0.03, 0.35), 2)
        approvals = round(budget * share * rng.uniform(0.05, 0.3), -2) if rng.random() < 0.12 else 0
        currency = local = rate = None
        if country is not None and rng.random() < 0.35:
            _, _, currency, rate = COUNTRY[country]
            local = round(expenditure / rate) if rate < 0.01 else round(expenditure / rate, 2)
        finance.append([code, PERIOD, country, approvals, expenditure, cumulative, currency, local, rate])
    return projects, finance


def write_workbook(path: Path, projects: list[list[Any]], finance: list[list[Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    cover = wb.create_sheet("Cover")
    cover.append(["field", "value"])
    for key, value in COVER:
        cover.append([key, value])
    for name, fields, records in (
        ("Projects", PROJECT_FIELDS, projects),
        ("Finance", FINANCE_FIELDS, finance),
    ):
        sheet = wb.create_sheet(name)
        sheet.append(fields)
        for record in records:
            sheet.append(record)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(folder: Path, projects: list[list[Any]], finance: list[list[Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tables = (
        ("cover", ["field", "value"], [list(entry) for entry in COVER]),
        ("projects", PROJECT_FIELDS, projects),
        ("finance", FINANCE_FIELDS, finance),
    )
    for kind, header, records in tables:
        path = folder / f"{OFFICE}_{PERIOD}_{kind}.csv"
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=",")
            writer.writerow(header)
            writer.writerows([_text(v) for v in record] for record in records)
        tmp.replace(path)


class Dataset:
    def __init__(self, rows: int, seed: int) -> None:
        self.rows, self.seed = rows, seed
        self.folder = DATA / f"rows{rows}-seed{seed}"
        self.workbook = self.folder / f"{OFFICE}_{PERIOD}.xlsx"
        self.csv_folder = self.folder / "csv"
        self.csv_files = [
            self.csv_folder / f"{OFFICE}_{PERIOD}_{k}.csv" for k in ("cover", "projects", "finance")
        ]
        self.manifest = self.folder / "manifest.json"

    def manifest_data(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = [self.workbook, *self.csv_files]
        if data.get("generator") != GENERATOR_VERSION or not all(p.is_file() for p in files):
            return None
        return data

    def build(self) -> dict[str, Any]:
        self.manifest.unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        projects, finance = generate(self.rows, self.seed)
        t1 = time.perf_counter()
        write_workbook(self.workbook, projects, finance)
        t2 = time.perf_counter()
        write_csv(self.csv_folder, projects, finance)
        t3 = time.perf_counter()
        data = {
            "generator": GENERATOR_VERSION,
            "rows": self.rows,
            "seed": self.seed,
            "projects": len(projects),
            "finance": len(finance),
            "seconds": {"generate": t1 - t0, "xlsx": t2 - t1, "csv": t3 - t2, "total": t3 - t0},
        }
        self.manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return data


# --- measurement -------------------------------------------------------------------------


def best_of(function: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """Warm up once, then time ``repeat`` runs; the warm-up's result comes back too."""
    result = function()
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
    return min(times), times, result


def describe(report: Any, label: str) -> None:
    counts = Counter(f.rule for f in report.findings).most_common(8)
    records = ", ".join(f"{k} {v:,}" for r in report.returns for k, v in r.record_counts.items())
    status = "OK" if report.errors == 0 else "NOT CLEAN"
    print(f"  {label:<6} {report.errors} errors, {report.warnings} warnings [{status}]; records: {records}")
    if counts:
        print("         top rules: " + ", ".join(f"{rule} x{n}" for rule, n in counts))


def profile_validate(path: Path, top: int) -> None:
    from tcstandards.validation.engine import validate_paths

    validate_paths([path])  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    validate_paths([path])
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile of validate_paths([{path.name}]), top {top} by cumulative time:")
    print(out.getvalue())


PROCESS_LABELS = {
    "raw_xlsx": "process: python -c 'import pandas; read_excel(xlsx)'",
    "cli_xlsx": "process: tcstandards validate xlsx --format json",
    "raw_csv": "process: python -c 'import pandas; read_csv x 3'",
    "cli_csv": "process: tcstandards validate csv-folder --format json",
}


def whole_processes(data: Dataset, repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` wall time of each command as a new process (what a user waits for)."""
    read_excel = "import sys, pandas; pandas.read_excel(sys.argv[1], sheet_name=None, engine='calamine')"
    read_csv = "import sys, pandas; [pandas.read_csv(p) for p in sys.argv[1:]]"
    validate = [sys.executable, "-m", "tcstandards", "validate", "--format", "json"]
    commands = {
        "raw_xlsx": [sys.executable, "-c", read_excel, str(data.workbook)],
        "cli_xlsx": [*validate, str(data.workbook)],
        "raw_csv": [sys.executable, "-c", read_csv, *map(str, data.csv_files)],
        "cli_csv": [*validate, str(data.csv_folder)],
    }
    env = {**os.environ, "TCSTANDARDS_LANG": "en"}
    best: dict[str, float] = {}
    for key, command in commands.items():
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            done = subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
            )
            times.append(time.perf_counter() - t0)
            if done.returncode not in (0, 1):
                print(done.stderr.decode(errors="replace"), file=sys.stderr)
        best[key] = min(times)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=50_000, help="projects and finance lines (each); default 50000"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per benchmark, best reported; default 3"
    )
    parser.add_argument("--seed", type=int, default=1997, help="random seed of the generated return")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data files even if they exist")
    parser.add_argument("--no-cli", action="store_true", help="skip the whole-process (subprocess) timings")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of validate on the workbook")
    parser.add_argument("--profile-top", type=int, default=35, help="lines of the profile; default 35")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")

    data = Dataset(args.rows, args.seed)
    manifest = None if args.regenerate else data.manifest_data()
    if manifest is None:
        print(
            f"Generating {args.rows:,} projects + {args.rows:,} finance lines (seed {args.seed}) ...",
            flush=True,
        )
        manifest = data.build()
        s = manifest["seconds"]
        print(
            f"  generated in {s['total']:.1f} s (data {s['generate']:.1f} s, xlsx {s['xlsx']:.1f} s, "
            f"csv {s['csv']:.1f} s)"
        )
    else:
        print(
            f"Reusing {data.folder.relative_to(HERE.parent)} (--regenerate to rebuild; "
            f"generation took {manifest['seconds']['total']:.1f} s)"
        )
    xlsx_mb = data.workbook.stat().st_size / 1e6
    csv_mb = sum(p.stat().st_size for p in data.csv_files) / 1e6
    print(
        f"  {data.workbook.relative_to(HERE.parent)} ({xlsx_mb:.1f} MB), "
        f"{data.csv_folder.relative_to(HERE.parent)}/ (3 files, {csv_mb:.1f} MB)"
    )

    from importlib.metadata import version

    import pandas as pd

    import tcstandards
    from tcstandards.validation.engine import validate_paths

    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, python-calamine "
        f"{version('python-calamine')}, tcstandards {tcstandards.__version__}; "
        f"best of {args.repeat} after 1 warm-up\n"
    )

    results: dict[str, tuple[float, list[float]]] = {}

    def run(key: str, function: Callable[[], Any]) -> Any:
        print(f"  timing {key} ...", end="", flush=True)
        best, times, result = best_of(function, args.repeat)
        results[key] = (best, times)
        print(f" {best:.3f} s")
        return result

    run("read_excel", lambda: pd.read_excel(data.workbook, sheet_name=None, engine="calamine"))
    report_xlsx = run("validate_xlsx", lambda: validate_paths([data.workbook]))
    run("read_csv", lambda: [pd.read_csv(p) for p in data.csv_files])
    report_csv = run("validate_csv", lambda: validate_paths([data.csv_folder]))

    processes: dict[str, float] = {}
    if not args.no_cli:
        print("  timing whole processes (issue 14's measure: start-up and imports included) ...", flush=True)
        processes = whole_processes(data, args.repeat)

    print("\nFindings on the generated return (expected: 0 errors):")
    describe(report_xlsx, "xlsx")
    describe(report_csv, "csv")

    rows = [
        ("read_excel", "pandas.read_excel(xlsx, sheet_name=None, engine='calamine')"),
        ("validate_xlsx", "validate_paths([xlsx])"),
        ("read_csv", "pandas.read_csv x 3 files (sum)"),
        ("validate_csv", "validate_paths([csv folder])"),
    ]
    print(f"\n{'benchmark':<62} {'best s':>8}   all runs (s)")
    print("-" * 100)
    for key, label in rows:
        best, times = results[key]
        print(f"{label:<62} {best:8.3f}   " + ", ".join(f"{t:.3f}" for t in times))
    for key, label in PROCESS_LABELS.items():
        if key in processes:
            print(f"{label:<62} {processes[key]:8.3f}   whole process, best of {args.repeat}")
    print("-" * 100)
    ratios = [
        (
            "validate / read_excel (xlsx)",
            results["validate_xlsx"][0] / results["read_excel"][0],
            TARGET_EXCEL,
        ),
        ("validate / read_csv (csv)", results["validate_csv"][0] / results["read_csv"][0], TARGET_CSV),
    ]
    if processes:
        ratios += [
            (
                "whole process: validate / read_excel (xlsx)",
                processes["cli_xlsx"] / processes["raw_xlsx"],
                1.25,
            ),
            ("process: validate / read_csv (csv)", processes["cli_csv"] / processes["raw_csv"], 2.5),
        ]
    for label, ratio, target in ratios:
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"{label:<62} {ratio:8.2f}   target <= {target}  {verdict}")

    if args.profile:
        profile_validate(data.workbook, args.profile_top)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
    sys.exit(0)
