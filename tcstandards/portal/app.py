"""The application: middleware (size limit, signed sessions), the routes, the error pages."""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from tcstandards import __version__
from tcstandards.hq.store import open_store
from tcstandards.portal import answers, api, pages, pages_hq
from tcstandards.portal.limits import BodyLimit, SecurityHeaders
from tcstandards.portal.settings import Settings

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
    for kind, handler in answers.HANDLERS.items():
        app.add_exception_handler(kind, handler)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory tcstandards.portal:app_from_environment`` (the settings from the
    environment: docs/portal.md)."""
    return create_app(Settings.from_environment())
