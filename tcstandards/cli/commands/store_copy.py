"""``tcstandards store copy``: a whole store into a new one, on any engine, verified."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError
from tcstandards.common.i18n import ui


def run(source: str, target: str, *, lang: str, out: TextIO, err: TextIO) -> int:
    from tcstandards.hq.store import open_store
    from tcstandards.hq.store.copy import copy_store
    from tcstandards.hq.store.sql import SqlStore

    if source == target:
        raise UsageError("the copy must go to another store", code="copy-onto-itself", path=source)

    def copying(table: str) -> None:
        err.write(ui("store.copying", lang, table=table) + "\n")

    made_here = "://" not in target and not Path(target).exists()  # a new SQLite file: removed if it fails
    try:
        with open_store(source) as opened, open_store(target, create=True) as made:
            assert isinstance(opened, SqlStore) and isinstance(made, SqlStore)
            copied = copy_store(opened, made, progress=copying)
            location = (opened.location, made.location)
    except BaseException:
        if made_here:
            Path(target).unlink(missing_ok=True)
        raise
    for one in copied:
        said = ui("store.copied-table", lang, table=one.table, rows=one.rows, checksum=one.checksum[:16])
        out.write(said + "\n")
    rows = sum(one.rows for one in copied)
    done = ui("store.copied", lang, source=location[0], target=location[1], tables=len(copied), rows=rows)
    out.write(done + "\n")
    return EXIT_OK
