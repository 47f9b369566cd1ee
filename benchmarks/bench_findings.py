#!/usr/bin/env python
"""Benchmark a return whose every Finance line is wrong three ways against its clean twin.

    python benchmarks/bench_findings.py                  # 20,000 projects + 20,000 finance lines
    python benchmarks/bench_findings.py --rows 5000 --repeat 1

The clean return is the CSV form of ``bench_validate.py``'s generated return
(``benchmarks/data/rows<N>-seed1997/csv``, built when missing). Its wrong twin,
under ``benchmarks/data/rows<N>-wrong/``, has on every Finance line another
quarter (``period-mismatch``), a negative expenditure (``negative-expenditure``)
and an unknown country (``codelist``). Each is timed as a whole process,
``tcstandards validate --format json`` into a discarded output, best of
``--repeat``.

Target (issue 14): the wrong twin <= 1.5x the clean one. The script prints the
ratio with PASS or FAIL and always exits 0: it measures, it does not test.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_validate as gen

TARGET = 1.5
WRONG = {"period": "1997-Q2", "country_code": "XXX"}  # and every expenditure made negative


def _wrong_twin(clean: Path, target: Path) -> Path:
    if target.exists():
        return target
    target.mkdir(parents=True)
    for file in clean.iterdir():
        rows = list(csv.reader(file.open(encoding="utf-8", newline="")))
        if file.name.endswith("_finance.csv"):
            header = rows[0]
            for row in rows[1:]:
                for field, value in WRONG.items():
                    row[header.index(field)] = value
                spent = header.index("expenditure_usd")
                row[spent] = f"-{row[spent]}" if row[spent] else "-1"
        with (target / file.name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return target


def _best(folder: Path, repeat: int) -> tuple[float, int]:
    command = [sys.executable, "-m", "tcstandards", "validate", "--format", "json", str(folder)]
    times, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        found = sum(len(r["findings"]) for r in json.loads(done.stdout)["returns"])
    return min(times), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="projects and finance lines; default 20000")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measure, best reported; default 3"
    )
    args = parser.parse_args(argv)
    data = gen.Dataset(args.rows, 1997)
    if data.manifest_data() is None:
        data.build()
    wrong = _wrong_twin(data.csv_folder, gen.DATA / f"rows{args.rows}-wrong")
    clean_s, clean_n = _best(data.csv_folder, args.repeat)
    wrong_s, wrong_n = _best(wrong, args.repeat)
    ratio = wrong_s / clean_s
    print(f"clean return: {clean_s:.2f} s, {clean_n} findings")
    print(
        f"wrong twin:   {wrong_s:.2f} s, {wrong_n} findings  {ratio:.2f}x  (target <= {TARGET:g}x)  ", end=""
    )
    print("PASS" if ratio <= TARGET else "FAIL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
