"""The application: middleware (size limit, signed sessions), the routes, the error pages."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from tcstandards import __version__
from tcstandards.common.errors import TcstandardsError
from tcstandards.hq.store import open_store
from tcstandards.portal import api, pages, pages_hq
from tcstandards.portal.limits import BodyLimit, SecurityHeaders
from tcstandards.portal.render import language, page
from tcstandards.portal.security import Refused, SignInFirst
from tcstandards.portal.settings import Settings
from tcstandards.portal.words import best_language, say

SECRET_SETTING = "session-secret"
SESSION_COOKIE = "tcstandards_session"


def create_app(settings: Settings) -> FastAPI:
    """The portal on ``settings.store`` (made when missing, upgraded when older)."""
    with open_store(settings.store, create=True) as store:  # a store that cannot be opened: said now
        secret = settings.secret_key or store.setting(SECRET_SETTING, secrets.token_urlsafe(32))
    app = FastAPI(
        title="tcstandards portal",
        version=__version__,
        description="Offices submit TCDS returns; HQ follows the quarter. See docs/portal.md.",
        docs_url=None,  # Swagger's page loads its script from the Internet; the description is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_hours * 3600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)  # outermost: before anything is read
    app.include_router(pages.router)
    app.include_router(pages_hq.router)
    app.include_router(api.router)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(SignInFirst, _sign_in_first)
    app.add_exception_handler(TcstandardsError, _tcstandards_error)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory tcstandards.portal:app_from_environment`` (the settings from the
    environment: docs/portal.md)."""
    return create_app(Settings.from_environment())


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _refused(request: Request, error: Exception) -> Response:
    assert isinstance(error, Refused)
    if _api(request):
        lang = request.query_params.get("lang") or best_language(request.headers.get("accept-language"))
        detail = say(error.key, lang, **error.params)
        return JSONResponse({"detail": detail}, status_code=error.status, headers=error.headers)
    lang = language(request)
    values: dict[str, Any] = {"code": error.status, "said": say(error.key, lang, **error.params)}
    return page(request, "error.html", status=error.status, headers=error.headers, **values)


async def _sign_in_first(request: Request, _error: Exception) -> Response:
    return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)


async def _tcstandards_error(request: Request, error: Exception) -> Response:
    """An error of the library (a usage error of the request): its sentence, 422."""
    assert isinstance(error, TcstandardsError)
    key = f"error.{error.code}"
    return await _refused(
        request, Refused(422, key if _known(key) else "error.request", {**error.params, "detail": str(error)})
    )


def _known(key: str) -> bool:
    from tcstandards.common.i18n import catalogue

    return key in catalogue("portal")["messages"]
