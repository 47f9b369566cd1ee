"""``tcstandards history``: every version of every return in the ledger."""

from __future__ import annotations

from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError


def run(
    *,
    store: str,
    office: str | None,
    period: str | None,
    lang: str,
    output_format: str,
    out: TextIO,
    submission: int | None = None,
) -> int:
    from tcstandards.cli.commands.options import quarter_option
    from tcstandards.hq.store import open_store
    from tcstandards.reporters.ledger import history_json, history_text, submission_json, submission_text

    if submission is not None:
        with open_store(store) as opened:
            found = [s for s in opened.submissions() if s.id == submission]
            if not found:
                raise UsageError(
                    f"no submission #{submission} in {store}",
                    code="no-submission",
                    id=submission,
                    store=store,
                )
            findings = opened.findings(submission)
            conflicts = [
                c for c in opened.conflicts() if submission in (c.submission_id, c.other_submission_id)
            ]
        render = submission_json if output_format == "json" else submission_text
        out.write(render(found[0], findings, conflicts, lang) + "\n")
        return EXIT_OK

    if period:
        period = quarter_option(period)
    with open_store(store) as opened:
        found = opened.submissions(office=office.upper() if office else None, period=period)
    out.write((history_json(found, lang) if output_format == "json" else history_text(found, lang)) + "\n")
    return EXIT_OK
