"""``tcstandards validate``: check returns before they are submitted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def run(
    paths: Sequence[str],
    *,
    lang: str,
    output_format: str,
    max_findings: int | None,
    out: TextIO,
    err: TextIO,
    color: bool = False,
) -> int:
    from ..findings import Report
    from ..reporters import REPORTERS
    from ..sources import discover
    from ..validate import validate_source

    sources = discover(paths)
    show_progress = err.isatty() and len(sources) > 1
    results = []
    for number, source in enumerate(sources, start=1):
        if show_progress:
            err.write(f"\r\033[K[{number}/{len(sources)}] {source.display}")
            err.flush()
        results.append(validate_source(source, lang=lang))
    if show_progress:
        err.write("\r\033[K")
        err.flush()
    report = Report(tuple(results), lang=lang)
    reporter = REPORTERS[output_format](lang=lang, max_findings=max_findings, color=color)
    out.write(reporter.render(report) + "\n")
    if report.unreadable:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.errors else EXIT_OK
