"""The paper's numbered paragraphs, drafted from the report's figures (the seed's paragraphs 17-20).

Each topic (:mod:`.paper_money`, :mod:`.paper_reach`) reads the report's
tables and chooses its sentences from ``locale/paper.json``; every number a
sentence shows is cited (:mod:`.paper_base`).
"""

from __future__ import annotations

from typing import Any

from tcstandards.report.paper_base import Figures
from tcstandards.report.paper_money import MONEY
from tcstandards.report.paper_reach import REACH
from tcstandards.standard import Standard


def draft_paper(report: dict[str, Any], standard: Standard, lang: str) -> list[dict[str, Any]]:
    """The numbered paragraphs of the paper, in ``lang``; none for an empty range."""
    if report.get("empty"):
        return []
    figures = Figures(report, standard, lang)
    drafts = [
        draft for topic in (*MONEY, *REACH) if (draft := topic(figures)) is not None and draft.sentences
    ]
    return [draft.as_dict(n) for n, draft in enumerate(drafts, start=1)]
