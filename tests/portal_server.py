"""A real portal for the tests: ``tcstandards serve`` in a subprocess on a free port, and its accounts.

The server is the command an HQ runs (uvicorn, one process), started with the
interpreter of the tests; its standard error goes to a file and is shown when
it does not come up or dies.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "a-long-pass-phrase-1997"  # the same for every account of the tests (at least 10 characters)
START_TIMEOUT_S = 30.0


def tcstandards(*args: str, stdin: str | None = None, cwd: Path | None = None) -> str:
    """Run ``python -m tcstandards ARGS`` and return its standard output (an error shows its stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "tcstandards", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )
    assert done.returncode == 0, f"tcstandards {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


def add_account(store: Path | str, name: str, role: str, office: str | None = None) -> None:
    """``tcstandards users add NAME --role ROLE [--office CODE]``, the password on standard input."""
    extra = ["--office", office] if office else []
    tcstandards("users", "add", name, "--role", role, *extra, "--store", str(store), stdin=PASSWORD + "\n")


def api_token(store: Path | str, name: str) -> str:
    """A new API token of the account, as ``tcstandards users token`` prints it on standard output."""
    token = tcstandards("users", "token", name, "--store", str(store)).strip()
    assert token and " " not in token, token
    return token


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def running(
    store: Path | str, *options: str, folder: Path | None = None, timeout: float = START_TIMEOUT_S
) -> Iterator[Server]:
    """``tcstandards serve --store STORE --port P OPTIONS`` until the block ends (then stopped); its log
    and working folder: ``folder``, else the store's."""
    port = free_port()
    folder = folder or Path(store).parent
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "tcstandards", "serve", "--store", str(store), "--port", str(port)]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, *options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=folder,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(port):
            if process.poll() is not None:
                raise AssertionError(f"tcstandards serve exited {process.returncode}:\n{server.stderr()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"tcstandards serve is silent after {timeout:.0f} s:\n{server.stderr()}")
            time.sleep(0.05)
        yield server
        assert process.poll() is None, f"tcstandards serve died:\n{server.stderr()}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
