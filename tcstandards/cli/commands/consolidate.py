"""``tcstandards consolidate``: validate returns against the store, merge the clean ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TextIO

from tcstandards.common.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE


def run(
    paths: Sequence[str],
    *,
    store: str,
    lang: str,
    output_format: str,
    max_findings: int | None,
    received_at: dt.datetime | str | None,
    recheck: bool,
    out: TextIO,
    err: TextIO,
    color: bool = False,
) -> int:
    from tcstandards.cli.commands.progress import ProgressBar
    from tcstandards.hq.consolidate import Consolidation, consolidate
    from tcstandards.hq.store import open_store
    from tcstandards.hq.store.base import QUARANTINED
    from tcstandards.reading.sources import discover
    from tcstandards.reporters.ledger import consolidation_json, consolidation_text

    if not discover(paths):  # also: a path that does not exist is a usage error before the store is made
        run = Consolidation((), store)
    else:
        progress = ProgressBar(err)
        with open_store(store, create=True) as opened:
            run = consolidate(
                paths, opened, lang=lang, received_at=received_at, recheck=recheck, progress=progress
            )
        progress.clear()
    if output_format == "json":
        out.write(consolidation_json(run, lang) + "\n")
    else:
        out.write(consolidation_text(run, lang, color=color, max_findings=max_findings) + "\n")
    quarantined = [o for o in run.outcomes if o.status == QUARANTINED]  # in this run, not found already there
    if any(o.result.unreadable for o in quarantined):
        return EXIT_USAGE
    return EXIT_FINDINGS if quarantined else EXIT_OK
