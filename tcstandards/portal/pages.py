"""The pages every account has: sign in and out, the returns it may see, uploading, a return's findings,
the annotated workbook, a blank template, the guidance of a rule."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from tcstandards.hq import accounts
from tcstandards.hq.store.base import Account, Store, Submission
from tcstandards.portal.render import language, opened_store, page
from tcstandards.portal.security import (
    ACCOUNT,
    CSRF,
    LANG,
    Refused,
    check_csrf,
    is_hq,
    may_see,
    session_account,
)
from tcstandards.portal.submit import annotated_copy, submit
from tcstandards.standard import newest_standard
from tcstandards.standard.periods import is_period, name, parse

router = APIRouter(include_in_schema=False)
StoreDep = Annotated[Store, Depends(opened_store)]
SEVERITIES = ("error", "warning")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed_in(request: Request, store: StoreDep) -> Account:
    return session_account(request, store)


AccountDep = Annotated[Account, Depends(signed_in)]


def visible_submission(store: Store, account: Account, submission_id: int) -> Submission:
    """The submission, when the account may see it; 404 otherwise, as for one that does not exist."""
    submission = store.submission(submission_id)
    if submission is None or not may_see(account, submission.office):
        raise Refused(404, "error.no-submission", {"id": submission_id})
    return submission


def download(filename: str, content: bytes, media_type: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def local(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another site's address)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/sign-in")
def sign_in_form(
    request: Request, next: str | None = None, ended: bool = False, out: bool = False
) -> Response:
    """The sign-in form; ``ended``: a form was sent after the session ended; ``out``: just signed out."""
    return page(request, "sign_in.html", next=local(next), failed=False, ended=ended, signed_out=out)


@router.post("/sign-in")
def sign_in(
    request: Request,
    store: StoreDep,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf)
    address = request.client.host if request.client else None
    if accounts.throttled(store, name, address):
        raise Refused(429, "error.throttled", headers={"Retry-After": "900"})
    account = accounts.sign_in(store, name, password, address)
    if account is None:
        return page(request, "sign_in.html", status=401, next=local(next), failed=True, ended=False,
                    signed_out=False)  # fmt: skip
    lang = request.session.get(LANG)
    request.session.clear()  # a new session: nothing of before signing in is carried over but the language
    if lang:
        request.session[LANG] = lang
    request.session[ACCOUNT] = account.name
    return RedirectResponse(local(next), status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, store: StoreDep, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    name = request.session.get(ACCOUNT)
    if name:
        store.log(name, "signed-out", name)
    lang = request.session.get(LANG)
    request.session.clear()
    if lang:
        request.session[LANG] = lang
    return RedirectResponse("/sign-in?out=1", status_code=303)


@router.get("/")
def home(account: AccountDep) -> Response:
    return RedirectResponse("/status" if is_hq(account) else "/returns", status_code=303)


@router.get("/returns")
def returns(
    request: Request,
    store: StoreDep,
    account: AccountDep,
    office: str | None = None,
    period: str | None = None,
) -> Response:
    """The returns the account may see: its office's, or (HQ) the whole ledger, newest first."""
    shown_office = (
        office.upper() if office and is_hq(account) else (None if is_hq(account) else account.office)
    )
    found = store.submissions(office=shown_office, period=period if is_period(period) else None)
    return page(
        request,
        "returns.html",
        account=account,
        submissions=list(reversed(found)),
        office=shown_office,
        period=period or "",
        next_period=next_quarter(found),
    )


@router.post("/returns")
def upload(
    request: Request,
    store: StoreDep,
    account: AccountDep,
    file: Annotated[list[UploadFile], File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    outcome = submit(store, [(f.filename, f.file) for f in file if f.filename], account, language(request))
    store.log(account.name, "uploaded", f"#{outcome.submission.id}", outcome.status)
    return RedirectResponse(f"/returns/{outcome.submission.id}?outcome={outcome.status}", status_code=303)


@router.get("/returns/{submission_id}")
def one_return(
    request: Request,
    store: StoreDep,
    account: AccountDep,
    submission_id: int,
    severity: str | None = None,
    outcome: str | None = None,
) -> Response:
    submission = visible_submission(store, account, submission_id)
    findings = store.findings(submission_id)
    shown = [f for f in findings if severity not in SEVERITIES or f["severity"] == severity]
    lang = language(request)
    titles = {rule.id: rule.title.get(lang) or rule.title["en"] for rule in newest_standard().rules.values()}
    return page(
        request,
        "return.html",
        account=account,
        submission=submission,
        findings=shown,
        counts={s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES},
        severity=severity if severity in SEVERITIES else "",
        just=outcome,
        titles=titles,
        annotated=bool(store.uploads(submission_id))
        and submission.file_name.lower().endswith((".xlsx", ".xlsm")),
    )


@router.get("/returns/{submission_id}/annotated")
def annotated(request: Request, store: StoreDep, account: AccountDep, submission_id: int) -> Response:
    visible_submission(store, account, submission_id)
    copy = annotated_copy(store, submission_id, language(request))
    if copy is None:
        raise Refused(404, "error.no-workbook", {"id": submission_id})
    store.log(account.name, "downloaded", f"#{submission_id}", "annotated")
    return download(copy[0], copy[1], XLSX)


@router.get("/template")
def template(
    request: Request,
    store: StoreDep,
    account: AccountDep,
    office: str | None = None,
    period: str | None = None,
) -> Response:
    """A blank template for the account's office (HQ: any office) and the next quarter (or ``period``)."""
    from tcstandards.office.template import build_template, default_name

    chosen = (office or "").upper() if is_hq(account) else account.office
    if not chosen:
        raise Refused(400, "error.office-needed")
    if period is not None and not is_period(period):
        raise Refused(400, "error.bad-period", {"period": period})
    quarter = period.upper() if period else next_quarter(store.submissions(office=chosen))
    lang = language(request)
    with tempfile.TemporaryDirectory(prefix="tcstandards-template-") as folder:
        target = Path(folder) / default_name(chosen, quarter)
        build_template(chosen, quarter, lang, None, target)
        content = target.read_bytes()
    store.log(account.name, "downloaded", f"{chosen} {quarter}", "template")
    return download(target.name, content, XLSX)


def next_quarter(submissions: list[Submission], today: dt.date | None = None) -> str:
    """The quarter after the latest one the office submitted; with none, the last quarter ended."""
    done = sorted(str(s.period) for s in submissions if is_period(s.period))
    if done:
        year, quarter = parse(str(done[-1]))
        return name(year + quarter // 4, quarter % 4 + 1)
    today = today or dt.date.today()
    quarter = (today.month - 1) // 3  # the quarter before today's (0: the last of the year before)
    return name(today.year - 1, 4) if quarter == 0 else name(today.year, quarter)


@router.get("/rules/{rule_id}")
def rule_page(request: Request, account: AccountDep, rule_id: str, back: int | None = None) -> Response:
    """The guidance of a rule: what it checks, an example of its message, in the language."""
    from tcstandards.standard.examples import example_message

    standard = newest_standard()
    rule = standard.rules.get(rule_id)
    if rule is None:
        raise Refused(404, "error.no-rule", {"rule": rule_id})
    lang = language(request)
    return page(
        request,
        "rule.html",
        account=account,
        rule=rule,
        title=rule.title.get(lang) or rule.title["en"],
        example=example_message(standard, rule, lang),
        records=[standard.sheet_of(r, lang) for r in rule.records],
        back=back,
    )


__all__ = ["CSRF", "router"]
