"""``tcstandards history``: every version of every return in the ledger."""

from __future__ import annotations

from typing import TextIO

from ..errors import EXIT_OK


def run(
    *, store: str, office: str | None, period: str | None, lang: str, output_format: str, out: TextIO
) -> int:
    from ..reporters.ledger import history_json, history_text
    from ..status import parse_period
    from ..store import open_store

    if period:
        year, quarter = parse_period(period)
        period = f"{year}-Q{quarter}"
    with open_store(store) as opened:
        found = opened.submissions(office=office.upper() if office else None, period=period)
    out.write((history_json(found, lang) if output_format == "json" else history_text(found, lang)) + "\n")
    return EXIT_OK
