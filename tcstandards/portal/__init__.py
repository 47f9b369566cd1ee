"""The submission portal (``tcstandards serve``): offices submit through a browser, HQ sees the quarter.

A FastAPI application on the same engine and store as the command line:
server-rendered pages (Jinja2, no JavaScript needed) and a JSON API for
scripts.  :func:`create_app` builds it for a :class:`Settings`;
:func:`app_from_environment` is the factory for ``uvicorn --factory`` in
production (docs/portal.md).
"""

from __future__ import annotations

from tcstandards.portal.app import app_from_environment, create_app
from tcstandards.portal.settings import Settings

__all__ = ["Settings", "app_from_environment", "create_app"]
