#!/usr/bin/env python
"""Benchmark ``tcstandards consolidate`` against ``tcstandards validate`` on the same returns.

    python benchmarks/bench_consolidate.py                  # 300 returns of about 300 lines
    python benchmarks/bench_consolidate.py --returns 60 --repeat 1
    python benchmarks/bench_consolidate.py --returns 100 --lines 300   # issue 14's folder

The script generates (deterministically) ``--returns`` workbooks: 25 offices
reporting quarters from 1997-Q3 on, each with a Cover, 150 projects and 150
finance lines (``--lines``; the generator of ``bench_validate.py``, one seed
per return). They go under ``benchmarks/data/consolidate-<N>[x<lines>]/``
(git-ignored, reused).

It then times, in this process, best of ``--repeat``:

* ``pandas.read_excel(path, sheet_name=None, engine="calamine")`` of each
  workbook: the floor for reading them;
* ``validate_paths([folder])``: what one ``tcstandards validate`` call does;
* ``consolidate([folder], store)`` into a new SQLite store in a temporary
  folder: validation against the store, ledger, findings, records, conflicts.

With ``--postgresql``, it also times ``consolidate([folder], store)`` into a
new PostgreSQL store each run: a database of a throw-away cluster that the
script starts (Debian's ``initdb`` and ``pg_ctl``, as ``tests/pg.py`` does;
run as root, the cluster runs as ``postgres``), on a Unix socket.

Targets (issue 14): validate / read_excel <= 2.0 and consolidate / validate
<= 1.25; (issue 19) consolidate into PostgreSQL / into SQLite <= 1.5. The
script always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_validate as gen
import pandas as pd

from tcstandards.hq.consolidate import consolidate
from tcstandards.hq.store import open_store
from tcstandards.standard import load_standard
from tcstandards.validation.engine import validate_paths

TARGET = 1.25  # consolidate / validate (issue 14)
TARGET_POSTGRESQL = 1.5  # consolidate into PostgreSQL / into SQLite (issue 19)
TARGET_READ = 2.0  # validate / pandas' calamine read of the same files (issue 14)
LINES = 150  # projects and finance lines each: about 300 lines a return
OFFICES = [
    "DAKAR",
    "ABIDJAN",
    "ADDIS",
    "CAIRO",
    "DARESSALAM",
    "HARARE",
    "KINSHASA",
    "LAGOS",
    "LUSAKA",
    "YAOUNDE",
    "PRETORIA",
    "ALGIERS",
    "TANANARIVE",
    "BANGKOK",
    "BEIRUT",
    "LIMA",
    "SANJOSE",
    "MEXICO",
    "SANTIAGO",
    "NEWDELHI",
    "MANILA",
    "JAKARTA",
    "DHAKA",
    "ISLAMABAD",
    "COLOMBO",
]


def periods(count: int) -> list[str]:
    out, year, quarter = [], 1997, 3
    while len(out) < count:
        out.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def build(folder: Path, returns: int, lines: int = LINES) -> list[Path]:
    known = load_standard().codelist("offices").codes
    offices = [o for o in OFFICES if o in known]
    quarters = periods(-(-returns // len(offices)))
    paths = []
    for k in range(returns):
        office, period = offices[k % len(offices)], quarters[k // len(offices)]
        path = folder / f"{office}_{period}.xlsx"
        paths.append(path)
        if path.exists():
            continue
        year, q = int(period[:4]), int(period[-1])
        end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
        projects, finance = gen.generate(lines, seed=1000 + k)
        for p in projects:
            p[2] = office
        for line in finance:
            line[1] = period
        cover = dict(gen.COVER)
        cover.update(office_code=office, period=period, prepared_on=end + dt.timedelta(days=14))
        saved = gen.COVER
        gen.COVER = list(cover.items())
        try:
            gen.write_workbook(path, projects, finance)
        finally:
            gen.COVER = saved
    return paths


def best(function: object, repeat: int) -> tuple[float, list[float]]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        runs.append(time.perf_counter() - start)
    return min(runs), runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--returns", type=int, default=300, help="returns to generate; default 300")
    parser.add_argument(
        "--lines", type=int, default=LINES, help=f"projects and finance lines each; default {LINES}"
    )
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each, best reported; default 2")
    parser.add_argument(
        "--postgresql", action="store_true", help="also consolidate into PostgreSQL (a throw-away cluster)"
    )
    args = parser.parse_args()
    name = (
        f"consolidate-{args.returns}" if args.lines == LINES else f"consolidate-{args.returns}x{args.lines}"
    )
    folder = gen.DATA / name
    folder.mkdir(parents=True, exist_ok=True)
    print(f"generating {args.returns} returns in {folder} (reused when present) ...", flush=True)
    paths = build(folder, args.returns, args.lines)

    report = validate_paths([folder])
    print(f"validate: {len(report.returns)} returns, {report.errors} errors, {report.warnings} warnings")

    def run_validate() -> None:
        validate_paths([folder])

    def run_consolidate() -> None:
        with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "hq.sqlite"), create=True) as s:
            result = consolidate([folder], s)
            merged = result.count("merged")
            if merged != args.returns:
                print(f"  note: {merged} of {args.returns} merged, {result.count('quarantined')} quarantined")

    def run_read() -> None:
        for path in paths:
            pd.read_excel(path, sheet_name=None, engine="calamine")

    r, r_runs = best(run_read, args.repeat)
    v, v_runs = best(run_validate, args.repeat)
    c, c_runs = best(run_consolidate, args.repeat)
    if args.postgresql:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        import pg

        cluster = pg.Cluster(fsync=True).start()  # durable, as SQLite's synchronous = FULL is
        try:
            from tcstandards.hq.store.engines import release

            template = cluster.new_database("tctemplate", template=None)
            with open_store(template, create=True):
                pass  # the schema made once: each run's new database is a copy of it, as a server's would be
            release(template)

            def run_postgresql() -> None:
                with open_store(cluster.new_database(), create=True) as s:
                    consolidate([folder], s)

            p, p_runs = best(run_postgresql, args.repeat)
        finally:
            cluster.stop()
    print()
    print(f"{'benchmark':<40} {'best s':>8}   all runs (s)")
    print(f"{'pandas.read_excel(calamine) of each':<40} {r:8.2f}   {', '.join(f'{x:.2f}' for x in r_runs)}")
    print(f"{'validate_paths([folder])':<40} {v:8.2f}   {', '.join(f'{x:.2f}' for x in v_runs)}")
    print(f"{'consolidate([folder], new store)':<40} {c:8.2f}   {', '.join(f'{x:.2f}' for x in c_runs)}")
    checks = [("validate / read_excel", v / r, TARGET_READ), ("consolidate / validate", c / v, TARGET)]
    if args.postgresql:
        runs = ", ".join(f"{x:.2f}" for x in p_runs)
        print(f"{'consolidate([folder], new PostgreSQL store)':<40} {p:8.2f}   {runs}")
        checks.append(("consolidate: PostgreSQL / SQLite", p / c, TARGET_POSTGRESQL))
    for label, ratio, target in checks:
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"{label:<40} {ratio:8.2f}   target <= {target}  {verdict}")


if __name__ == "__main__":
    main()
