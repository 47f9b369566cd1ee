"""Renderers of the Governing Body report: the figures (JSON) drawn as HTML or XLSX, nothing computed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMATS = ("html", "xlsx", "docx", "json")


def write_report(report: dict[str, Any], output_format: str, lang: str, target: Path) -> None:
    """The computed report written to ``target`` (atomically) in one of :data:`FORMATS`."""
    from tcstandards.common.outputs import atomic_write

    if output_format == "json":
        with atomic_write(target, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    elif output_format == "html":
        from tcstandards.report.render.html import render_html

        page = render_html(report, lang)
        with atomic_write(target, "w", encoding="utf-8") as handle:
            handle.write(page)
    elif output_format == "docx":
        from tcstandards.report.render.docx import render_docx

        render_docx(report, lang, target)
    else:
        from tcstandards.report.render.xlsx import render_xlsx

        render_xlsx(report, lang, target)
