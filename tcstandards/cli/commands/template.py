"""``tcstandards template``: a workbook for one office and quarter, generated from the standard."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError


def run(
    *,
    office: str,
    period: str,
    lang: str,
    kinds: str | None,
    output: str | None,
    version: str | None,
    out: TextIO,
    force: bool = False,
) -> int:
    from tcstandards.cli.commands.options import quarter_option
    from tcstandards.common.i18n import ui
    from tcstandards.office.template import build_template, default_name

    period = quarter_option(period)
    office = office.upper()
    target = Path(output or default_name(office, period))
    if target.suffix.lower() != ".xlsx":
        raise UsageError(
            f"-o {target}: a template is an .xlsx workbook", code="template-suffix", target=str(target)
        )
    if target.is_dir():
        raise UsageError(
            f"-o {target} is a folder; give a file name", code="output-is-folder", target=str(target)
        )
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists (perhaps a filled-in return): "
            "choose another -o, or --force to replace it",
            code="template-exists",
            target=str(target),
        )
    chosen = [k.strip().lower() for k in kinds.split(",") if k.strip()] if kinds is not None else None
    build_template(office, period, lang, chosen, target, version)
    out.write(ui("template.written", lang, office=office, period=period, path=str(target)) + "\n")
    return EXIT_OK
