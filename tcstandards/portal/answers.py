"""How the portal answers what it refuses: a page in the user's language (with the navigation of the
account signed in), or ``{"detail": "a sentence"}`` under ``/api/``; never a traceback."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from tcstandards.common.errors import TcstandardsError
from tcstandards.common.i18n import LANGUAGES
from tcstandards.hq.sender import NotAReturn
from tcstandards.hq.store import open_store
from tcstandards.hq.store.base import Account
from tcstandards.portal.render import language, page
from tcstandards.portal.security import ACCOUNT, Refused, SignInFirst
from tcstandards.portal.words import best_language, say
from tcstandards.validation.findings import ReturnResult


def with_report(fields: dict[str, Any], result: ReturnResult, lang: str, *, status: int) -> Response:
    """A JSON answer with ``report``: the document ``validate --format json`` writes for the return,
    put in as the reporter wrote it (a report of thousands of findings is not parsed and written again)."""
    from tcstandards.reporters.json import JsonReporter
    from tcstandards.validation.findings import Report

    report = JsonReporter(lang=lang).render(Report((result,), lang=lang))
    body = json.dumps(fields, ensure_ascii=False)[:-1] + ', "report": ' + report + "}"
    return Response(body, status_code=status, media_type="application/json")


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def api_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else best_language(request.headers.get("accept-language"))


def _signed_in(request: Request) -> Account | None:
    name = request.session.get(ACCOUNT)
    if not name:
        return None
    try:
        with open_store(request.app.state.settings.store, create=True) as store:
            account = store.account(name)
    except TcstandardsError:  # the store is what failed: the page is said without the navigation
        return None
    return account if account is not None and not account.disabled else None


async def refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, Refused)
    if _api(request):
        detail = say(error.key, api_language(request), **error.params)
        return JSONResponse({"detail": detail}, status_code=error.status, headers=error.headers)
    lang = language(request)
    account = await run_in_threadpool(_signed_in, request)
    values: dict[str, Any] = {"code": error.status, "said": say(error.key, lang, **error.params)}
    return page(request, "error.html", account=account, status=error.status, headers=error.headers, **values)


async def sign_in_first(request: Request, _error: Exception) -> Response:
    ended = "&ended=1" if request.method == "POST" else ""  # a form sent after the session ended
    return RedirectResponse(f"/sign-in?next={request.url.path}{ended}", status_code=303)


async def library_error(request: Request, error: Exception) -> Response:
    """An error of the library (a usage error of the request): its sentence, 422."""
    assert isinstance(error, TcstandardsError)
    if error.code in STORE_DOWN:  # the database: said without its address, to anyone, as "try later"
        return await refused(request, Refused(503, "error.store-down", headers={"Retry-After": "60"}))
    key = f"error.{error.code}"
    params = {**error.params, "detail": str(error)}
    return await refused(request, Refused(422, key if _known(key) else "error.request", params))


async def not_a_return(request: Request, error: Exception) -> Response:
    """What was uploaded says no office and quarter: nothing is recorded; its findings say why."""
    assert isinstance(error, NotAReturn)
    if _api(request):
        lang = api_language(request)
        return with_report({"detail": say("error.not-a-return", lang)}, error.result, lang, status=422)
    account = await run_in_threadpool(_signed_in, request)
    findings = [f.as_dict() for f in error.result.findings]
    return page(request, "not_a_return.html", account=account, status=422, findings=findings)


async def invalid_request(request: Request, error: Exception) -> Response:
    """A request FastAPI could not read as the route asks (no file, a number that is not one): 400."""
    assert isinstance(error, RequestValidationError)
    missing_file = any(
        e.get("type") == "missing" and e.get("loc", ())[-1:] == ("file",) for e in error.errors()
    )
    if missing_file:
        return await refused(request, Refused(400, "error.no-file"))
    where = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in error.errors())
    return await refused(request, Refused(400, "error.bad-request", {"where": where}))


STORE_DOWN = frozenset({"store-connect", "store-failed"})


def _known(key: str) -> bool:
    from tcstandards.common.i18n import catalogue

    return key in catalogue("portal")["messages"]


HANDLERS = {  # the most specific first: Starlette picks a handler by the error's classes, in order
    NotAReturn: not_a_return,
    Refused: refused,
    SignInFirst: sign_in_first,
    TcstandardsError: library_error,
    RequestValidationError: invalid_request,
}
