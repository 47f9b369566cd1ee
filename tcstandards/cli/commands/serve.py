"""``tcstandards serve``: the submission portal on one process (uvicorn)."""

from __future__ import annotations

from typing import TextIO

from tcstandards.common.errors import EXIT_OK, UsageError
from tcstandards.common.i18n import ui

MEGABYTE = 1024 * 1024


def run(
    *, store: str, host: str, port: int, max_upload_mb: int, secure_cookies: bool, lang: str, err: TextIO
) -> int:
    try:
        import uvicorn

        from tcstandards.portal import Settings, create_app
    except ImportError as error:
        raise UsageError(
            f"the portal needs its packages: pip install 'tcstandards[portal]' ({error.name} is missing)",
            code="portal-extra",
        ) from error
    from tcstandards.hq.store import open_store

    settings = Settings(store=store, max_upload_bytes=max_upload_mb * MEGABYTE, secure_cookies=secure_cookies)
    app = create_app(settings)
    with open_store(store, create=True) as opened:
        if not opened.accounts():
            err.write(ui("serve.no-accounts", lang, store=store) + "\n")
    err.write(ui("serve.starting", lang, url=f"http://{host}:{port}/", store=store) + "\n")
    err.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, server_header=False)
    return EXIT_OK
