"""Writing files safely: atomically, inside the folder asked for, with no runnable spreadsheet text.

Every file the package writes goes through here:

* :func:`atomic_write` writes to a temporary file in the target's folder and
  renames it over the target, so a reader never sees half a file and a crash
  leaves the old file (or none) in place;
* :func:`neutralise` prefixes text that a spreadsheet would run as a formula
  (``= + - @``, and tab or carriage return) with an apostrophe, as OWASP
  advises for CSV injection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from tcstandards.common.errors import UsageError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would evaluate gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _mode(target: Path) -> int:
    """The permissions a new file would get (umask), or those of the file it replaces."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


SQLITE_MAGIC = b"SQLite format 3\x00"


def _temporary(target: Path, folder: Path) -> tuple[int, str]:
    if target.is_dir():
        raise UsageError(
            f"{target} is a folder; give a file name", code="output-is-folder", target=str(target)
        )
    if _is_database(target):  # the HQ store (or any database) is never replaced by an output
        raise UsageError(
            f"{target} is a database; it is not overwritten, give another name",
            code="output-is-db",
            target=str(target),
        )
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _cannot_write(target, error) from error


def _cannot_write(target: Path, error: OSError) -> UsageError:
    return UsageError(
        f"cannot write {target}: {error.strerror}",
        code="cannot-write",
        target=str(target),
        reason=error.strerror,
    )


def _is_database(target: Path) -> bool:
    try:
        with target.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


@contextlib.contextmanager
def atomic_write(target: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``target``; on success rename it over ``target``."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}", code="no-such-folder", path=str(folder))
    descriptor, temporary = _temporary(target, folder)
    try:
        with os.fdopen(descriptor, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode(target))  # mkstemp makes 0600 files; give the usual permissions
        _replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_with(target: Path, writer: Callable[[Path], None]) -> None:
    """For libraries that write to a path (openpyxl): write a temporary path, then rename."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"no such folder: {folder}", code="no-such-folder", path=str(folder))
    descriptor, temporary = _temporary(target, folder)
    os.close(descriptor)
    try:
        writer(Path(temporary))
        os.chmod(temporary, _mode(target))
        _replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _replace(temporary: str, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise _cannot_write(target, error) from error


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing a name that would leave ``folder`` (``..``, absolute paths)."""
    base = folder.resolve()
    path = (base / name).resolve()
    if path.parent != base:
        raise UsageError(
            f"refusing to write outside {folder}: {name}",
            code="outside-folder",
            name=name,
            folder=str(folder),
        )
    return path


def generated_now() -> dt.datetime:
    """When an output is made: now (UTC, to the second), or ``SOURCE_DATE_EPOCH`` when it is set, as
    reproducible builds do, so that the same data give the same bytes (a store copied to another
    engine, two runs compared)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return dt.datetime.fromtimestamp(int(fixed), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
