"""``tcstandards validate``: check returns before they are submitted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tcstandards.common.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError
from tcstandards.reading.config import Config
from tcstandards.validation.findings import Report


def run(
    paths: Sequence[str],
    *,
    lang: str,
    output_format: str,
    max_findings: int | None,
    out: TextIO,
    err: TextIO,
    color: bool = False,
    store: str | None = None,
    config: Config | None = None,
    waivers_file: str | None = None,
    annotate: str | None = None,
) -> int:
    from tcstandards.cli.commands.progress import ProgressBar
    from tcstandards.reporters import REPORTERS
    from tcstandards.validation import waivers
    from tcstandards.validation.engine import validate_paths

    config = config or Config()
    if annotate is not None:  # refuse a copy that cannot be written before the work, not after
        from tcstandards.office.annotate import check_target

        check_target(Path(annotate), Path(paths[0]) if len(paths) == 1 else None)
    waiver_path = Path(waivers_file) if waivers_file else config.waivers
    accepted = waivers.load_waivers(waiver_path) if waiver_path else []
    progress = ProgressBar(err)
    if store is None:
        report = validate_paths(paths, lang=lang, progress=progress, config=config)
    else:
        from tcstandards.hq.consolidated import StoreReference
        from tcstandards.hq.store import open_store

        with open_store(store) as opened:
            report = validate_paths(
                paths, lang=lang, progress=progress, reference=StoreReference(opened), config=config
            )
    progress.clear()
    if accepted or config.severity:
        report = waivers.apply(report, severity=config.severity, waivers=accepted)
    if annotate is not None and report.unreadable:  # never open with openpyxl what the reader refused
        from tcstandards.common.i18n import ui

        err.write(ui("annotate.skipped", lang, path=annotate) + "\n")
    elif annotate is not None:
        _annotate(report, Path(annotate), lang, err)
    reporter = REPORTERS[output_format](lang=lang, max_findings=max_findings, color=color)
    out.write(reporter.render(report) + "\n")
    if report.unreadable:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.errors else EXIT_OK


def _annotate(report: Report, target: Path, lang: str, err: TextIO) -> None:
    from tcstandards.common.i18n import ui
    from tcstandards.office.annotate import annotate

    workbooks = [
        r for r in report.returns if len(r.files) == 1 and r.files[0].lower().endswith((".xlsx", ".xlsm"))
    ]
    if len(report.returns) != 1 or not workbooks:
        raise UsageError("--annotate takes exactly one workbook (.xlsx or .xlsm)", code="annotate-one")
    result = workbooks[0]
    count = annotate(Path(result.files[0]), result, target, lang)
    err.write(ui("annotate.written", lang, path=str(target), count=count) + "\n")
