"""``tcstandards export``: the consolidated data per record type, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError


def run(*, store: str, output_format: str, folder: str, history: bool = False, lang: str, out: TextIO) -> int:
    from tcstandards.common.i18n import ui
    from tcstandards.hq.store import open_store
    from tcstandards.report.export import export

    if history and output_format == "iati":
        raise UsageError("--history applies to csv, xlsx and json", code="history-iati")
    with open_store(store) as opened:
        written = export(opened, output_format, Path(folder), history=history)
    for path in written:
        out.write(ui("export.written", lang, path=str(path)) + "\n")
    return EXIT_OK
