#!/usr/bin/env python
"""Benchmark ``validate`` on the README's 356 historical returns against loading them into pandas.

    python benchmarks/bench_historical.py               # best of 3
    python benchmarks/bench_historical.py --repeat 1

The returns are the historical sample (``samples/historical/returns``, JSON,
36,624 records), built by ``samples/historical/build_historical.py`` when
missing. In this process, best of ``--repeat``:

* the baseline: ``json.load`` of each file and a ``pandas.DataFrame`` of each
  record type;
* ``validate_paths([folder])``: what ``tcstandards validate FOLDER`` runs.

Target (issue 14): validate <= 3x the baseline. The script prints the ratio
with PASS or FAIL and always exits 0: it measures, it does not test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from tcstandards.validation.engine import validate_paths

ROOT = Path(__file__).resolve().parent.parent
RETURNS = ROOT / "samples" / "historical" / "returns"
TARGET = 3.0


def _load(files: list[Path]) -> None:
    for file in files:
        document = json.loads(file.read_text(encoding="utf-8"))
        for records in document.values():
            if isinstance(records, list):
                pd.DataFrame(records)


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measure, best reported; default 3"
    )
    args = parser.parse_args(argv)
    if not RETURNS.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "samples" / "historical" / "build_historical.py")], check=True
        )
    files = sorted(RETURNS.rglob("*.json"))
    validate_paths([files[0]])  # warm-up: imports and the standard
    baseline = _best(lambda: _load(files), args.repeat)
    report = validate_paths([RETURNS])
    seconds = _best(lambda: validate_paths([RETURNS]), args.repeat)
    records = sum(sum(r.record_counts.values()) for r in report.returns)
    ratio = seconds / baseline
    print(f"{len(report.returns)} returns, {records} records, {report.errors} errors")
    print(f"json.load + DataFrame: {baseline:.2f} s")
    print(f"validate:              {seconds:.2f} s  {ratio:.1f}x  (target <= {TARGET:g}x)  ", end="")
    print("PASS" if ratio <= TARGET else "FAIL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
