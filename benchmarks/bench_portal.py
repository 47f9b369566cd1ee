#!/usr/bin/env python
"""Benchmark the portal's answer to an upload against ``validate`` of the same return.

    python benchmarks/bench_portal.py                   # 20 uploads of workbooks and 20 of JSON, median
    python benchmarks/bench_portal.py --runs 40 --no-json
    python benchmarks/bench_portal.py --profile         # and a cProfile of submit() in this process

Target (issue 18): answering an upload of a 300-line return takes no more than
0.3 s beyond ``validate`` of the same file.

The returns are ``bench_consolidate.py``'s: a Cover, 150 projects and 150
finance lines (``--lines``; 300 lines, no results or pipeline), one workbook
per office, the offices in turn, 1997-Q3 first (the generator of
``bench_validate.py``, one seed per return). They go under
``benchmarks/data/portal-300/xlsx/`` (git-ignored, reused), with the same
returns as JSON documents in ``json/`` (read back from the workbooks).

Each upload is a distinct return (another office's: otherwise the second is a
"duplicate", answered without any work), so each timed run has its own file,
and the baseline validates the same files. Past 25 returns (warm-ups
included), offices report a second quarter, and the store holds their first.

In this process, median of ``--runs`` after ``--warmup`` runs (on other files):

* the baseline: ``validate_paths([file])``, what ``tcstandards validate FILE`` runs;
* ``submit()`` into a new store (``tcstandards.portal.submit``): the
  portal's own work on the return, without HTTP, for the breakdown.

Then, per format, a new store gets an hq account (``tcstandards users add``,
the password on standard input) and its token (``tcstandards users token``),
and ``python -m tcstandards serve --store S --port P`` runs in a subprocess.
Each return is sent as ``POST /api/returns`` (multipart field ``file``,
``Authorization: Bearer TOKEN``), one new connection per upload, and timed
from this client (urllib) from the request sent to the JSON answer read. The
first upload after the server started is shown apart (it pays the imports).

The script prints both medians and their difference, PASS or FAIL against
the target, and always exits 0: it measures, it does not test. It uses only
the standard library, pandas, openpyxl and tcstandards (with its portal extra).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_consolidate
import bench_validate as gen

from tcstandards.validation.engine import validate_paths

TARGET = 0.3  # seconds beyond validate of the same file (issue 18)
PASSWORD = "bench-portal-password"
ACCOUNT = "bench-hq"


# --- the returns ---------------------------------------------------------------------------


def as_json(workbook: Path, target: Path) -> Path:
    """The workbook's return as a JSON document (dates as ISO text, empty cells left out)."""
    from openpyxl import load_workbook

    def plain(value: Any) -> Any:
        return value.date().isoformat() if isinstance(value, dt.datetime) else value

    book = load_workbook(workbook, read_only=True)
    document: dict[str, Any] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if sheet.title == "Cover":
            document["cover"] = {str(k): str(plain(v)) for k, v in rows[1:] if k is not None}
        else:
            header = rows[0]
            document[sheet.title.lower()] = [
                {str(h): plain(v) for h, v in zip(header, row, strict=False) if v is not None}
                for row in rows[1:]
            ]
    book.close()
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    return target


def returns(count: int, lines: int) -> dict[str, list[Path]]:
    folder = gen.DATA / f"portal-{2 * lines}"
    (folder / "xlsx").mkdir(parents=True, exist_ok=True)
    (folder / "json").mkdir(parents=True, exist_ok=True)
    workbooks = bench_consolidate.build(folder / "xlsx", count, lines)
    documents = []
    for workbook in workbooks:
        target = folder / "json" / f"{workbook.stem}.json"
        documents.append(target if target.exists() else as_json(workbook, target))
    return {"xlsx": workbooks, "json": documents}


# --- measurement ---------------------------------------------------------------------------


def timed(function: Callable[[Path], Any], warm: list[Path], paths: list[Path]) -> list[float]:
    """``function`` on each warm-up file, then timed on each of ``paths``."""
    for path in warm:
        function(path)
    times = []
    for path in paths:
        gc.collect()
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return times


@contextlib.contextmanager
def new_store(folder: Path) -> Iterator[Any]:
    """A new store in ``folder`` and its hq account, opened in this process."""
    from tcstandards.hq.accounts import add_account
    from tcstandards.hq.store import open_store

    with open_store(str(folder / "hq.sqlite"), create=True) as store:
        add_account(store, ACCOUNT, "hq", None, PASSWORD, "bench")
        account = store.account(ACCOUNT)
        yield store, account


@contextlib.contextmanager
def in_process_submit(folder: Path) -> Iterator[Callable[[Path], Any]]:
    """``submit()`` of a file into a new store in ``folder``: the portal's work without HTTP."""
    from tcstandards.portal.submit import submit

    with new_store(folder) as (store, account):

        def run(path: Path) -> Any:
            with path.open("rb") as handle:
                outcome = submit(store, [(path.name, handle)], account, "en")
            if outcome.status != "merged":
                print(f"  note: {path.name} {outcome.status} in submit()")
            return outcome

        yield run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``tcstandards serve`` on a new store, in a subprocess, with an hq account and its token."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        store = str(folder / "hq.sqlite")
        cli = [sys.executable, "-m", "tcstandards"]
        env = {**os.environ, "TCSTANDARDS_LANG": "en"}
        subprocess.run(
            [*cli, "users", "add", ACCOUNT, "--role", "hq", "--store", store],
            input=PASSWORD + "\n",
            text=True,
            check=True,
            capture_output=True,
            env=env,
        )
        self.token = subprocess.run(
            [*cli, "users", "token", ACCOUNT, "--store", store],
            text=True,
            check=True,
            capture_output=True,
            env=env,
        ).stdout.strip()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (folder / "serve.log").open("wb")
        self.process = subprocess.Popen(
            [*cli, "serve", "--store", store, "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        self.started = time.perf_counter()
        self._wait()

    def _wait(self, timeout: float = 60.0) -> None:
        while time.perf_counter() - self.started < timeout:
            if self.process.poll() is not None:
                self.fail(f"the server stopped (exit {self.process.returncode})")
            try:
                with urllib.request.urlopen(f"{self.url}/api/openapi.json", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        self.fail(f"the server did not answer within {timeout:.0f} s")

    def fail(self, why: str) -> None:
        self.stop()
        text = (self.folder / "serve.log").read_text(errors="replace")
        raise SystemExit(f"{why}; its output:\n{text}")

    def upload(self, path: Path) -> tuple[float, int, dict[str, Any]]:
        """Seconds from the request sent to its JSON answer read, the HTTP status and the answer."""
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode(),
                path.read_bytes(),
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        request = urllib.request.Request(
            f"{self.url}/api/returns",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Accept-Language": "en",
            },
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                status, document = answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:  # counted and shown, not timed
            status, document = (
                error.code,
                {"outcome": "error", "detail": error.read().decode(errors="replace")},
            )
        return time.perf_counter() - start, status, document

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def through_server(folder: Path, warm: list[Path], paths: list[Path]) -> tuple[float, list[float]]:
    """The first upload after start (cold), then the timed uploads (after the other warm-ups).

    Only uploads answered 201 (merged or quarantined) are timed; any other answer is counted and
    said, with the last error of the server's log.
    """
    server = Server(folder)
    outcomes: Counter[str] = Counter()
    times, first = [], 0.0
    try:
        for number, path in enumerate([*warm, *paths]):
            seconds, status, answer = server.upload(path)
            outcomes[f"{answer['outcome']} ({status})"] += 1
            if number == 0:
                first = seconds
            elif number >= len(warm) and status == 201:
                times.append(seconds)
    finally:
        server.stop()
    if set(outcomes) != {"merged (201)"}:
        print(f"  note: answers {dict(outcomes)} (expected: every upload merged, 201)")
        errors = [line for line in (folder / "serve.log").read_text(errors="replace").splitlines()
                  if "Error" in line]  # fmt: skip
        if errors:
            print(f"  the server's log: {len(errors)} lines with an error, the last: {errors[-1]}")
    return first, times


def profile_submit(folder: Path, warm: Path, path: Path, top: int) -> None:
    """A cProfile of ``submit()`` of ``path`` into a new store, after ``warm`` (also submitted)."""
    profiler = cProfile.Profile()
    with in_process_submit(folder) as run:
        run(warm)
        profiler.runcall(run, path)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\ncProfile of submit({path.name}) into a store holding one return, top {top} by cumulative time:")
    print(out.getvalue())


def spread(times: list[float]) -> str:
    return f"min {min(times):.3f}, max {max(times):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed uploads (distinct returns); default 20")
    parser.add_argument("--warmup", type=int, default=2, help="uploads before the timed ones; default 2")
    parser.add_argument(
        "--lines",
        type=int,
        default=bench_consolidate.LINES,
        help=f"projects and finance lines each; default {bench_consolidate.LINES}",
    )
    parser.add_argument("--no-json", action="store_true", help="workbooks only")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of submit() on a workbook")
    parser.add_argument("--profile-top", type=int, default=35, help="lines of the profile; default 35")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 1 or args.lines < 1:
        parser.error("--runs, --warmup and --lines must be at least 1")

    count = args.warmup + args.runs
    print(f"generating {count} returns of {args.lines} projects + {args.lines} finance lines (reused) ...")
    files = returns(count, args.lines)
    formats = ["xlsx"] if args.no_json else ["xlsx", "json"]
    for kind in formats:
        report = validate_paths(files[kind], lang="en")
        size = statistics.median(p.stat().st_size for p in files[kind]) / 1000
        print(
            f"  {kind}: {len(report.returns)} returns of {size:.0f} kB, "
            f"{report.errors} errors, {report.warnings} warnings (expected: 0 and 0)"
        )
    print(f"median of {args.runs} runs, each on another return, after {args.warmup} warm-up runs\n")

    results = {}
    for kind in formats:
        warm, paths = files[kind][: args.warmup], files[kind][args.warmup :]
        print(f"  timing {kind} ...", flush=True)
        baseline = timed(lambda p: validate_paths([p], lang="en"), warm, paths)
        with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp, in_process_submit(Path(tmp)) as run:
            own = timed(run, warm, paths)
        with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
            first, portal = through_server(Path(tmp), warm, paths)
        results[kind] = (baseline, own, first, portal)

    print(f"\n{'':<44} {'median s':>9}   spread (s)")
    print("-" * 90)
    for kind, (baseline, own, first, portal) in results.items():
        lines = f"{kind}, {2 * args.lines} lines"
        b, o = statistics.median(baseline), statistics.median(own)
        print(f"{lines + ': validate_paths([file])':<44} {b:9.3f}   {spread(baseline)}")
        print(f"{'  submit() in this process (no HTTP)':<44} {o:9.3f}   {spread(own)}")
        if portal:
            p = statistics.median(portal)
            answered = "" if len(portal) == len(baseline) else f"; {len(portal)} of {len(baseline)} timed"
            print(f"{'  POST /api/returns to tcstandards serve':<44} {p:9.3f}   {spread(portal)}{answered}")
            verdict = "PASS" if p - b <= TARGET else "FAIL"
            print(f"{'  upload - validate':<44} {p - b:+9.3f}   target <= +{TARGET} s  {verdict}")
        else:
            print(f"{'  POST /api/returns to tcstandards serve':<44} {'-':>9}   no upload answered 201")
        print(f"{'  the first upload after the server started':<44} {first:9.3f}   not in the median")
    print("-" * 90)

    if args.profile:
        with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
            profile_submit(Path(tmp), files["xlsx"][0], files["xlsx"][args.warmup], args.profile_top)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
    sys.exit(0)
