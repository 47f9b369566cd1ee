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
    from ..reporters import REPORTERS
    from ..sources import Source
    from ..validate import validate_paths

    def progress(number: int, total: int, source: Source) -> None:
        if total > 1 and err.isatty():
            err.write(f"\r\033[K[{number}/{total}] {source.display}")
            err.flush()

    report = validate_paths(paths, lang=lang, progress=progress)
    if len(report.returns) > 1 and err.isatty():
        err.write("\r\033[K")
        err.flush()
    reporter = REPORTERS[output_format](lang=lang, max_findings=max_findings, color=color)
    out.write(reporter.render(report) + "\n")
    if report.unreadable:
        return EXIT_USAGE
    return EXIT_FINDINGS if report.errors else EXIT_OK
