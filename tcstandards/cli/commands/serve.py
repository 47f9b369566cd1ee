"""``tcstandards serve``: the submission portal on one process (uvicorn)."""

from __future__ import annotations

import socket
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

    _check_port(host, port)
    settings = Settings(store=store, max_upload_bytes=max_upload_mb * MEGABYTE, secure_cookies=secure_cookies)
    app = create_app(settings)
    with open_store(store, create=True) as opened:
        if not opened.accounts():
            err.write(ui("serve.no-accounts", lang, store=store) + "\n")
    shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host  # an address offices can use
    err.write(ui("serve.starting", lang, url=f"http://{shown}:{port}/", store=store) + "\n")
    err.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, server_header=False)
    return EXIT_OK


def _check_port(host: str, port: int) -> None:
    """Say a port already in use before anything else is said or started."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host}:{port}: {error.strerror}",
            code="serve-port",
            host=host,
            port=port,
            reason=error.strerror or str(error),
        ) from error
