"""``tcstandards report``: the Governing Body report from the store, as HTML, XLSX, DOCX or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from tcstandards.common.errors import EXIT_OK, UsageError


def quarter_range(first: str, last: str) -> list[str]:
    """``1990``/``1990-Q2`` .. ``1996``/``1996-Q3`` -> the quarters in between, both included."""
    from tcstandards.cli.commands.options import quarters_option
    from tcstandards.standard.periods import year_or_quarter

    def bound(text: str, option: str, last: bool) -> str:
        value = year_or_quarter(text, last=last)
        if value is None:
            raise UsageError(
                f"{option}: {text!r} is not a year or a quarter (1996, 1996-Q3)",
                code="bad-year-or-quarter",
                option=option,
                value=text,
            )
        return value

    return quarters_option(bound(first, "--from", False), bound(last, "--to", True))


SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx", ".json": "json"}


def report_format(given: str | None, output: str | None) -> str:
    """--format, else the suffix of -o, else html; a format that contradicts the suffix is an error."""
    suffix = Path(output).suffix.lower() if output else ""
    implied = SUFFIX_FORMATS.get(suffix)
    if suffix and implied is None:  # -o hq.sqlite would replace the store with a report
        raise UsageError(
            f"-o {output}: a report is written to a .html, .xlsx, .docx or .json file",
            code="bad-report-suffix",
            output=str(output),
        )
    if given is not None and implied is not None and given != implied:
        raise UsageError(
            f"-o {output} ends in {Path(str(output)).suffix} but --format is {given}; "
            "change one of them (or leave --format out)",
            code="format-mismatch",
            output=str(output),
            suffix=Path(str(output)).suffix,
            format=given,
        )
    return given or implied or "html"


def _view(standard: Any, views: dict[str, str | None]) -> Any:
    """The one view asked for (--donor, --country or --programme), or None for the whole paper."""
    from tcstandards.report.views import view_of

    given = {role: code for role, code in views.items() if code}
    if len(given) > 1:
        raise UsageError(
            "give one of --donor, --country and --programme, not several",
            code="one-view",
            options=", ".join(f"--{role}" for role in given),
        )
    return view_of(standard, *next(iter(given.items()))) if given else None


def run(
    *,
    store: str,
    first: str,
    last: str,
    lang: str,
    output_format: str | None,
    output: str | None,
    deadline_days: int,
    out: TextIO,
    err: TextIO | None = None,
    views: dict[str, str | None] | None = None,
) -> int:
    from tcstandards.common.i18n import ui
    from tcstandards.hq.store import open_store
    from tcstandards.reading.config import find_config, load_config
    from tcstandards.report.figures import compute
    from tcstandards.report.render import write_report

    periods = quarter_range(first, last)
    output_format = report_format(output_format, output)
    target = Path(output or f"tcstandards-report.{output_format}")
    if target.is_dir():
        raise UsageError(
            f"-o {target} is a folder; give a file name", code="output-is-folder", target=str(target)
        )
    if not target.parent.is_dir() and str(target.parent):
        raise UsageError(f"no such folder: {target.parent}", code="no-such-folder", path=str(target.parent))
    additions = load_config(find_config()).obligations  # HQ's own, beside the offices codelist's
    with open_store(store) as opened:
        view = _view(opened.standard, views or {})
        report = compute(
            opened, periods, lang=lang, deadline_days=deadline_days, additions=additions, view=view
        )
    write_report(report, output_format, lang, target)
    from tcstandards.report.render.labels import quarter, text

    first, last = quarter(periods[0], lang), quarter(periods[-1], lang)
    if report["empty"] and err is not None:
        said = text("report.empty-range", lang, first=first, last=last)
        err.write(f"tcstandards: {ui('text.warning', lang)}: {said}\n")
    out.write(ui("report.written", lang, path=str(target), first=first, last=last) + "\n")
    return EXIT_OK
