"""A throw-away PostgreSQL cluster for the tests: Debian's ``postgresql`` binaries (``initdb``,
``pg_ctl``) in a temporary folder, listening on a Unix socket only, trusted local connections.

As root (CI), the cluster runs as the ``postgres`` user the package makes: PostgreSQL refuses to
run as root.  Where no binaries are found, :func:`binaries` is None and the PostgreSQL cases skip
with the reason.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SKIP_REASON = "PostgreSQL is not on this machine (apt install postgresql): the PostgreSQL cases are skipped"


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on the PATH, else Debian's newest version."""
    found = shutil.which("initdb") and shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A cluster in a new folder of the system's temporary folder (pytest's own is private to the user
    running the tests, which the ``postgres`` user cannot enter); removed when it stops."""

    def __init__(self, *, fsync: bool = False) -> None:
        self.fsync = fsync  # off for the tests (a throw-away cluster); on for the benchmark, as on a server
        bin_folder = binaries()
        assert bin_folder is not None, SKIP_REASON
        self.bin = bin_folder
        self.folder = Path(tempfile.mkdtemp(prefix="tcstandards-postgresql-"))
        self.data = self.folder / "data"
        self.socket = self.folder / "socket"
        self.port = _free_port()
        self.names = itertools.count(1)
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> Cluster:
        self.socket.mkdir(parents=True)
        if self.as_root:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres",
                  "--encoding=UTF8", "--locale=C")  # fmt: skip
        durable = "on" if self.fsync else "off"
        options = f"-k {self.socket} -p {self.port} -c listen_addresses='' -c fsync={durable}"
        options += " -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l",
                  str(self.folder / "log"), "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}&port={self.port}"

    def new_database(self, name: str | None = None, template: str | None = "tctemplate") -> str:
        """A new database, a copy of ``template`` (None: empty); its URL."""
        import psycopg

        name = name or f"tc{next(self.names)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(host=str(self.socket), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:  # fmt: skip
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)
