"""``tcstandards status``: completeness and timeliness of returns, office x quarter."""

from __future__ import annotations

from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError


def run(
    *,
    store: str,
    period: str | None,
    first: str | None,
    last: str | None,
    deadline_days: int,
    only_gaps: bool,
    lang: str,
    output_format: str,
    out: TextIO,
) -> int:
    from tcstandards.cli.commands.options import quarter_option, quarters_option
    from tcstandards.hq.conflicts import open_conflicts
    from tcstandards.hq.status import compute_status
    from tcstandards.hq.store import open_store
    from tcstandards.reading.config import find_config, load_config
    from tcstandards.reporters.status import status_csv, status_json, status_text

    if period and (first or last):
        raise UsageError("give either --period or --from/--to, not both", code="period-and-range")
    if period:
        periods: list[str] | None = [quarter_option(period)]
    elif first or last:
        if not (first and last):
            raise UsageError("--from and --to go together", code="half-range")
        periods = quarters_option(first, last)
    else:
        periods = None
    additions = load_config(find_config()).obligations  # HQ's own, beside the offices codelist's
    with open_store(store) as opened:
        status = compute_status(
            opened.submissions(), periods, deadline_days, standard=opened.standard, additions=additions
        )
        conflicts, standard = open_conflicts(opened, status.periods), opened.standard
    if output_format == "json":
        out.write(status_json(status, lang, conflicts) + "\n")
    elif output_format == "csv":
        out.write(status_csv(status))  # the matrix only: one row per office and quarter
    else:
        out.write(status_text(status, lang, "gaps" if only_gaps else "all", conflicts, standard) + "\n")
    return EXIT_OK
