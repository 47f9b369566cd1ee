"""Start-up: ``tcstandards --help`` and validating one typical return, in fresh processes.

    python benchmarks/bench_startup.py [--repeat K]

Prints the best wall time of K runs of each command, as the pre-commit hook
runs it (``tcstandards validate FILE``, a new process each time):

* ``--help`` under 0.3 s: it imports neither pandas nor pandera;
* one typical return (a workbook of about 200 lines: 60 projects, 100 finance
  lines, 40 results) validated under 0.9 s (issue 5).

When pre-commit and git are installed, the script also runs the same return
through ``pre-commit run --files`` in a temporary git repository, twice: with a
hook that does nothing (``true``: pre-commit's own cost) and with the
validate command as the hook.  The floor of the last line is printed too:
``python -c "import pandas, pandera.pandas"``, what any run of the checks pays
before it reads a cell, and the command's own work on top of it (issue 14:
at most +0.15 s).

Measure with the package installed as users install it (``pip install .``),
``--python VENV/bin/python``: when ``hypothesis`` is importable (a test tool,
not a dependency), pandera imports it too, which costs about 0.1 s; the script
says so.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"help": 0.3, "validate one typical return": 0.9}
OWN_WORK = 0.15  # issue 14: the command's own work on top of importing pandas and pandera
HOOKS = """repos:
- repo: local
  hooks:
  - id: nothing
    name: a hook that does nothing
    entry: "true"
    language: system
    files: '\\.xlsx$'
  - id: tcstandards-validate
    name: tcstandards validate
    entry: {entry}
    language: system
    files: '\\.xlsx$'
    require_serial: true
"""


def typical_return(folder: Path) -> Path:
    """A clean return of about 200 lines, built from the tests' base return."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support import base, write_xlsx

    data = base()
    project = data["projects"][1]
    data["projects"] = [dict(project, project_code=f"SEN/97/R{i:02d}/RBT") for i in range(1, 61)]
    line = data["finance"][2]
    data["finance"] = [dict(line, project_code=f"SEN/97/R{i:02d}/RBT") for i in range(1, 61)]
    data["finance"] += [
        dict(line, project_code=f"SEN/97/R{i:02d}/RBT", country_code=None) for i in range(1, 41)
    ]
    result = data["results"][1]
    data["results"] = [dict(result, project_code=f"SEN/97/R{i:02d}/RBT") for i in range(1, 41)]
    return write_xlsx(data, folder / "DAKAR_1997-Q3.xlsx")


def best(cmd: list[str], repeat: int, cwd: Path) -> tuple[float, int]:
    """Best wall time; run outside the checkout, so that the installed package is measured."""
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        code = subprocess.run(cmd, capture_output=True, check=False, cwd=cwd).returncode
        times.append(time.perf_counter() - start)
    return min(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter to measure, e.g. that of a venv made with `pip install .` (default: this one; "
        "the sample is always built by this one, with the tests' helpers)",
    )
    args = parser.parse_args()
    if args.python == sys.executable and importlib.util.find_spec("hypothesis") is not None:
        print("note: hypothesis is installed here; pandera then imports it (about +0.1 s).")
        print("      For the users' figure, measure a `pip install .` venv: --python VENV/bin/python.\n")
    exe = [args.python, "-m", "tcstandards"]
    with tempfile.TemporaryDirectory() as tmp:
        sample = typical_return(Path(tmp))
        runs = {"help": [*exe, "--help"], "validate one typical return": [*exe, "validate", str(sample)]}
        for name, cmd in runs.items():
            seconds, code = best(cmd, args.repeat, Path(tmp))
            verdict = "PASS" if seconds <= TARGETS[name] and code == 0 else "FAIL"
            print(f"{name:<28} {seconds:6.3f} s   target <= {TARGETS[name]} s  {verdict}   (exit {code})")
        floor, _ = best([*exe[:1], "-c", "import pandas, pandera.pandas"], args.repeat, Path(tmp))
        print(f"{'(import pandas, pandera)':<28} {floor:6.3f} s   the floor of any run of the checks")
        own, _ = best(runs["validate one typical return"], args.repeat, Path(tmp))
        verdict = "PASS" if own - floor <= OWN_WORK else "FAIL"
        extra = f"{own - floor:+6.3f} s   target <= +{OWN_WORK} s  {verdict}   (issue 14)"
        print(f"{'validate - the floor':<28} {extra}")
        if importlib.util.find_spec("pre_commit") is not None and shutil.which("git"):
            through_pre_commit(sample, exe, args.repeat)


def through_pre_commit(sample: Path, exe: list[str], repeat: int) -> None:
    """The same return, committed through pre-commit: a no-op hook, then validate as the hook."""
    repo = sample.parent / "repo"
    repo.mkdir()
    shutil.copy(sample, repo / sample.name)
    entry = " ".join(shlex.quote(part) for part in [*exe, "validate"])
    (repo / ".pre-commit-config.yaml").write_text(HOOKS.format(entry=shlex.quote(entry)))
    for cmd in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(cmd, cwd=repo, check=True, capture_output=True)
    run = [sys.executable, "-m", "pre_commit", "run", "--files", sample.name, "--hook-stage", "pre-commit"]
    nothing, _ = best([*run[:4], "nothing", *run[4:]], repeat, repo)
    seconds, code = best([*run[:4], "tcstandards-validate", *run[4:]], repeat, repo)
    verdict = "PASS" if seconds <= TARGETS["validate one typical return"] and code == 0 else "FAIL"
    print(f"{'pre-commit, no-op hook':<28} {nothing:6.3f} s   pre-commit's own cost (git, config, env)")
    print(f"{'pre-commit, validate hook':<28} {seconds:6.3f} s   target <= 0.9 s  {verdict}   (exit {code})")


if __name__ == "__main__":
    main()
