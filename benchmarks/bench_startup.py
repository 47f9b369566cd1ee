"""Start-up: ``tcstandards --help`` and validating one small return, in fresh processes.

    python benchmarks/bench_startup.py [--repeat K]

Prints the best wall time of K runs of each command. Targets: ``--help``
under 0.3 s (it imports neither pandas nor pandera); one typical return
validated under 0.9 s (issue 5).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "returns" / "1997-Q3" / "DAKAR_1997-Q3.xlsx"
TARGETS = {"help": 0.3, "validate one return": 0.9}


def best(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "tcstandards"]
    runs = {
        "help": [*exe, "--help"],
        "validate one return": [*exe, "validate", str(SAMPLE)],
    }
    for name, cmd in runs.items():
        seconds = best(cmd, args.repeat)
        verdict = "PASS" if seconds <= TARGETS[name] else "FAIL"
        print(f"{name:<22} {seconds:6.3f} s   target <= {TARGETS[name]} s  {verdict}")


if __name__ == "__main__":
    main()
