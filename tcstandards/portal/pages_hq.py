"""HQ's pages: the status grid, open conflicts, downloads of the report and the exports; the accounts
and the ledger of actions for administrators.  An office account is answered 403 here."""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from tcstandards.hq.status import Status
from tcstandards.hq.store.base import Account, Store
from tcstandards.portal.pages import AccountDep, StoreDep, download
from tcstandards.portal.render import language, page
from tcstandards.portal.security import Refused, require_admin, require_hq
from tcstandards.standard.obligations import OFFICES
from tcstandards.standard.periods import is_period, quarters, year_or_quarter

router = APIRouter(include_in_schema=False)
RECENT_QUARTERS = 4
REPORT_MEDIA = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
EXPORT_FORMATS = ("csv", "xlsx", "json", "iati")
_DRAWING = threading.Lock()  # matplotlib draws one figure at a time in a process


def hq_account(account: AccountDep) -> Account:
    require_hq(account)
    return account


HqDep = Annotated[Account, Depends(hq_account)]


def chosen_quarters(store: Store, period: str | None, first: str | None, last: str | None) -> list[str]:
    """``period``, or ``first``..``last`` (years or quarters), else the last four quarters of the ledger."""
    if period:
        if not is_period(period.upper()):
            raise Refused(400, "error.bad-period", {"period": period})
        return [period.upper()]
    if first or last:
        return quarter_range(first or str(last), last or str(first))
    return ledger_quarters(store)[-RECENT_QUARTERS:]


def ledger_quarters(store: Store) -> list[str]:
    """Every quarter from the first to the last the ledger holds a return for."""
    known = sorted({str(s.period) for s in store.submissions() if is_period(s.period)})
    return quarters(known[0], known[-1]) if known else []


def quarter_range(first: str, last: str) -> list[str]:
    """``1990``/``1990-Q2`` .. ``1996``/``1996-Q3``: the quarters in between, both included."""

    def bound(text: str, last: bool) -> str:
        value = year_or_quarter(text, last=last)
        if value is None or not is_period(value):
            raise Refused(400, "error.bad-period", {"period": text})
        return value

    return quarters(bound(first, False), bound(last, True))  # the first after the last: a PeriodError


def status_grid(store: Store, periods: list[str], deadline_days: int) -> Status:
    from tcstandards.hq.status import compute_status
    from tcstandards.reading.config import find_config, load_config

    additions = load_config(find_config()).obligations  # HQ's own, beside the offices codelist's
    return compute_status(
        store.submissions(), periods, deadline_days, standard=store.standard, additions=additions
    )


@router.get("/status")
def status(
    request: Request,
    store: StoreDep,
    account: HqDep,
    period: str | None = None,
    first: str | None = None,
    last: str | None = None,
) -> Response:
    from tcstandards.hq.conflicts import open_conflicts
    from tcstandards.report.render.labels import name

    periods = chosen_quarters(store, period, first, last)
    grid = status_grid(store, periods, request.app.state.settings.deadline_days)
    lang = language(request)
    return page(
        request,
        "status.html",
        account=account,
        grid=grid,
        totals={p: grid.totals(period=p) for p in grid.periods},
        conflicts=len(open_conflicts(store, grid.periods)),
        office_names={o: name(o, lang, OFFICES) for o in grid.offices},
        first=(first or (grid.periods[0] if grid.periods else "")).upper(),
        last=(last or (grid.periods[-1] if grid.periods else "")).upper(),
    )


@router.get("/conflicts")
def conflicts(request: Request, store: StoreDep, account: HqDep) -> Response:
    from tcstandards.hq.conflicts import open_conflicts
    from tcstandards.reporters.status import conflict_line

    found = open_conflicts(store, ledger_quarters(store))
    lang = language(request)
    lines = [(c, conflict_line(c, lang, store.standard)) for c in found]
    return page(request, "conflicts.html", account=account, lines=lines)


@router.get("/reports")
def reports(request: Request, store: StoreDep, account: HqDep) -> Response:
    known = ledger_quarters(store)
    return page(
        request,
        "reports.html",
        account=account,
        formats=list(REPORT_MEDIA),
        exports=EXPORT_FORMATS,
        first=known[0][:4] if known else "",
        last=known[-1][:4] if known else "",
    )


@router.get("/reports/paper")
def paper(
    request: Request,
    store: StoreDep,
    account: HqDep,
    first: str,
    last: str,
    format: str = "html",
    lang: str | None = None,
    view: str | None = None,
    code: str | None = None,
) -> Response:
    """The Governing Body paper (or one donor's, country's or programme's) in a format and language."""
    from tcstandards.common.i18n import LANGUAGES
    from tcstandards.report.figures import compute
    from tcstandards.report.render import write_report
    from tcstandards.report.views import view_of

    if format not in REPORT_MEDIA:
        raise Refused(400, "error.bad-format", {"format": format})
    code = (code or "").strip()
    if bool(view) != bool(code):  # a view without its code, or a code without its view
        raise Refused(400, "error.view-and-code")
    said = lang if lang in LANGUAGES else language(request)
    periods = quarter_range(first, last)
    chosen = view_of(store.standard, view, code) if view else None
    with tempfile.TemporaryDirectory(prefix="tcstandards-report-") as folder, _DRAWING:
        report = compute(store, periods, lang=said, deadline_days=request.app.state.settings.deadline_days,
                         view=chosen)  # fmt: skip
        scope = f"-{view}-{chosen.code}" if view and chosen is not None else ""
        target = Path(folder) / f"tcstandards-report{scope}-{periods[0]}-{periods[-1]}-{said}.{format}"
        write_report(report, format, said, target)
        content = target.read_bytes()
    store.log(account.name, "downloaded", target.name, "report")
    return download(target.name, content, REPORT_MEDIA[format])


@router.get("/reports/export")
def export(
    store: StoreDep,
    account: HqDep,
    format: str = "csv",
    history: bool = False,
) -> Response:
    """The consolidated data (``export``): one file, or a zip of the CSV files."""
    from tcstandards.report.export import export as write_export

    if format not in EXPORT_FORMATS or (history and format == "iati"):
        raise Refused(400, "error.bad-format", {"format": format})
    with tempfile.TemporaryDirectory(prefix="tcstandards-export-") as folder:
        written = write_export(store, format, Path(folder), history=history)
        if len(written) == 1:
            name, content = written[0].name, written[0].read_bytes()
        else:
            name, content = f"tcstandards-export-{format}.zip", _zip(written)
    store.log(account.name, "downloaded", name, "export")
    media = {"xlsx": REPORT_MEDIA["xlsx"], "json": "application/json", "iati": "application/xml"}
    return download(name, content, "application/zip" if name.endswith(".zip") else media[format])


def _zip(paths: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, path.name)
    return buffer.getvalue()


@router.get("/accounts")
def accounts_page(request: Request, store: StoreDep, account: AccountDep) -> Response:
    """Administrators: the accounts (made with ``tcstandards users``) and the latest actions."""
    require_admin(account)
    return page(
        request, "accounts.html", account=account, accounts=store.accounts(), events=store.events(limit=200)
    )
