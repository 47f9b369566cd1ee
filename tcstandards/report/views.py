"""Partner, country and programme views of the paper (the seed's paragraphs 52 and 82).

A view keeps the records of one donor (the projects it funds and the
proposals that go to it), one country (the Finance and Results lines
recorded for it) or one global programme (its projects and proposals), and
computes the same figures from them.  Tables that break the figures down by
the view's own dimension say nothing in a view (Norway's share of Norway's
money) and are left out, and so is data quality, which is about offices'
reporting, not about a partner's money.  Proposals do not name a country: a
country view has no pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tcstandards.common.errors import UsageError
from tcstandards.report.figure_table import codelist_of
from tcstandards.standard import Standard
from tcstandards.standard.roles import ROLE

VIEW_ROLES = (ROLE.donor, ROLE.country, ROLE.programme)
NOT_IN_VIEW = {
    ROLE.donor: ("expenditure_by_source", "multi_bilateral_donors"),
    ROLE.programme: ("approvals_by_programme", "results_by_programme"),
    ROLE.country: (
        "expenditure_by_region",
        "beneficiary_countries",
        "results_by_region",
        "results_by_country",
    ),
}
NOT_IN_ANY_VIEW = ("quality_by_quarter", "quality_by_office")
PIPELINE_ROLE = {ROLE.donor: ROLE.partner, ROLE.programme: ROLE.programme}  # proposals name no country


@dataclass(frozen=True)
class View:
    """One donor, country or programme: ``role`` (of :class:`~tcstandards.standard.Roles`) and ``code``."""

    role: str
    code: str

    def keep(self, frame: Any) -> Any:
        """The rows of a frame of role-named columns that belong to the view."""
        if not len(frame) or self.role not in frame:
            return frame.iloc[0:0]
        return frame[frame[self.role] == self.code]

    def keep_proposals(self, frame: Any) -> Any:
        role = PIPELINE_ROLE.get(self.role)
        if role is None or not len(frame) or role not in frame:
            return frame.iloc[0:0]
        return frame[frame[role] == self.code]

    def shows(self, table_id: str) -> bool:
        return table_id not in (*NOT_IN_VIEW[self.role], *NOT_IN_ANY_VIEW)

    def as_dict(self, standard: Standard) -> dict[str, Any]:
        return {"role": self.role, "code": self.code, "codelist": codelist_of(standard, self.role)}


def view_of(standard: Standard, role: str, code: str) -> View:
    """The view of ``code`` (``--donor NOR``), or a usage error that names the nearest codes."""
    if role not in VIEW_ROLES:
        raise ValueError(role)
    codelist = standard.codelist(codelist_of(standard, role))
    wanted = code.strip().upper()
    alpha2 = {
        str(item.get("alpha2", "")).upper(): c for c, item in codelist.by_code.items() if item.get("alpha2")
    }
    wanted = alpha2.get(wanted, wanted) if wanted not in codelist.codes else wanted  # SN -> SEN
    if wanted not in codelist.codes:
        from tcstandards.validation.checks import nearest_codes

        nearest = ", ".join(nearest_codes(wanted, codelist))
        raise UsageError(
            f"{code!r} is not a code of the {codelist.name} codelist",
            code="unknown-view-code" if nearest else "unknown-view-code-far",
            option=f"--{role}",
            value=code,
            codelist=codelist.name,
            nearest=nearest,
        )
    return View(role, wanted)
