"""``tcstandards migrate``: a return moved to a newer version of the standard."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tcstandards.common.errors import EXIT_OK


def run(*, path: str, target: str, output: str, force: bool, lang: str, out: TextIO) -> int:
    from tcstandards.common.i18n import ui
    from tcstandards.office.migrate import migrate_file

    result = migrate_file(Path(path), target, Path(output), force=force)
    if result.source == result.target:
        out.write(ui("migrate.nothing", lang, path=path, version=target, output=output) + "\n")
        return EXIT_OK
    out.write(ui("migrate.written", lang, path=output, source=result.source, target=result.target) + "\n")
    for change in result.changes[:50]:
        out.write(f"  {change}\n")
    if len(result.changes) > 50:
        out.write(f"  ... (+{len(result.changes) - 50})\n")
    return EXIT_OK
