"""The JSON API for scripts (``Authorization: Bearer TOKEN`` from ``tcstandards users token``).

Its OpenAPI description is at ``/api/openapi.json``.  No token or a bad one:
401; an office token asking for HQ's status: 403; another office's
submission: 404, as for one that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from tcstandards.hq.store.base import Account, Store
from tcstandards.portal.answers import api_language, with_report
from tcstandards.portal.pages import visible_submission
from tcstandards.portal.render import opened_store
from tcstandards.portal.security import require_hq, token_account
from tcstandards.portal.submit import submit

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(opened_store)]


def bearer(request: Request, store: StoreDep) -> Account:
    return token_account(request, store)


TokenDep = Annotated[Account, Depends(bearer)]


@router.post(
    "/returns",
    status_code=201,
    summary="Validate a return and submit it",
    responses={
        200: {"description": "These bytes were submitted before: outcome 'duplicate', nothing recorded"},
        401: {"description": "No token, or a bad one"},
        413: {"description": "The upload is over the size limit"},
        422: {"description": "The return is another office's, or the request is not a return"},
    },
)
def post_return(
    request: Request,
    store: StoreDep,
    account: TokenDep,
    file: Annotated[list[UploadFile], File(description="The return: one file, or the CSV files of one")],
) -> Response:
    """Validates the return against the store and records it as `consolidate` would: `merged` when it
    has no errors, `quarantined` with its findings otherwise.  `report` is the same JSON document as
    `tcstandards validate --format json` writes for it."""

    lang = api_language(request)
    outcome = submit(store, [(f.filename, f.file) for f in file], account, lang)
    store.log(account.name, "uploaded", f"#{outcome.submission.id}", f"{outcome.status} (API)")
    fields = {"submission": outcome.submission.id, "outcome": outcome.status}
    return with_report(fields, outcome.result, lang, status=201 if outcome.status != "duplicate" else 200)


@router.get("/returns/{submission_id}", summary="A submission and its findings")
def get_return(store: StoreDep, account: TokenDep, submission_id: int) -> dict[str, Any]:
    submission = visible_submission(store, account, submission_id)
    kept = store.findings(submission_id)
    findings = [{("column" if k == "col" else k): v for k, v in f.items()} for f in kept]  # as in a report
    return {"submission": submission.as_dict(), "findings": findings}


@router.get("/status", summary="The status grid of a quarter (HQ and administrators)")
def get_status(request: Request, store: StoreDep, account: TokenDep, period: str) -> Response:
    """The same JSON document as `tcstandards status --period P --format json`."""
    from tcstandards.hq.conflicts import open_conflicts
    from tcstandards.portal.pages_hq import chosen_quarters, status_grid
    from tcstandards.reporters.status import status_json

    require_hq(account)
    periods = chosen_quarters(store, period, None, None)
    grid = status_grid(store, periods, request.app.state.settings.deadline_days)
    text = status_json(grid, api_language(request), open_conflicts(store, grid.periods))
    return Response(text, media_type="application/json")
