#!/usr/bin/env python
"""Benchmark ``tcstandards export`` (csv, xlsx, iati) against reading the same store into pandas.

    python benchmarks/bench_export.py                 # the README's store, built on first use
    python benchmarks/bench_export.py --store S.sqlite --repeat 1

The store is the README's: the 356 historical returns and the 1997-Q3 samples,
consolidated once into ``benchmarks/data/readme-store.sqlite`` (git-ignored,
reused; about a minute to build). Each measure is a whole process, best of
``--repeat``:

* the baseline: ``python -c`` that imports pandas and reads every table of the
  store with ``pandas.read_sql_query``;
* ``tcstandards export --format csv|xlsx|iati`` into a temporary folder.

Targets (issue 14): csv <= 3x, xlsx <= 5x, iati <= 5x the baseline. The script
prints each ratio with PASS or FAIL and always exits 0: it measures, it does
not test.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
TARGETS = {"csv": 3.0, "xlsx": 5.0, "iati": 5.0}
BASELINE = """
import sqlite3, sys
import pandas as pd
conn = sqlite3.connect(sys.argv[1])
names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
frames = {n: pd.read_sql_query(f'SELECT * FROM "{n}"', conn) for n in names}
"""


def _readme_store(target: Path) -> Path:
    """The README's store: historical returns and the 1997-Q3 samples, received on 1997-10-15."""
    if target.exists():
        return target
    historical = ROOT / "samples" / "historical" / "returns"
    if not historical.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "samples" / "historical" / "build_historical.py")], check=True
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".building")
    partial.unlink(missing_ok=True)
    print(f"building {target} (about a minute)...", flush=True)
    samples = ROOT / "samples" / "returns" / "1997-Q3"
    options = ["--store", str(partial), "--received-at", "1997-10-15"]
    command = [sys.executable, "-m", "tcstandards", "consolidate", *options, str(historical), str(samples)]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)  # exit 1: two returns are quarantined
    partial.replace(target)
    return target


def _best(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--store", type=Path, help="a store to export; default: the README's, built on first use"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per measure, best reported; default 3"
    )
    args = parser.parse_args(argv)
    store = args.store or _readme_store(DATA / "readme-store.sqlite")
    baseline = _best([sys.executable, "-c", BASELINE, str(store)], args.repeat)
    print(f"read every table into pandas (whole process): {baseline:.2f} s")
    for output_format, target in TARGETS.items():
        folder = Path(tempfile.mkdtemp(prefix=f"bench-export-{output_format}-"))
        try:
            command = [sys.executable, "-m", "tcstandards", "export", "--store", str(store)]
            seconds = _best([*command, "--format", output_format, "-o", str(folder)], args.repeat)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        ratio = seconds / baseline
        verdict = "PASS" if ratio <= target else "FAIL"
        print(
            f"export {output_format:<5} {seconds:6.2f} s  {ratio:5.1f}x  (target <= {target:g}x)  {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
