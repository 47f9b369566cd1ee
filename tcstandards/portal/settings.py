"""What the portal is configured with: from ``serve``'s options, or the environment under a server."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tcstandards.common.errors import UsageError
from tcstandards.hq.status import DEFAULT_DEADLINE_DAYS
from tcstandards.hq.store import store_location

MEGABYTE = 1024 * 1024
DEFAULT_MAX_UPLOAD_MB = 50
SESSION_HOURS = 8


@dataclass(frozen=True)
class Settings:
    store: str
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * MEGABYTE
    secure_cookies: bool = False  # behind TLS: the session cookie is sent over HTTPS only
    deadline_days: int = DEFAULT_DEADLINE_DAYS
    session_hours: int = SESSION_HOURS
    secret_key: str | None = None  # None: one kept in the store, shared by every worker

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """``TCSTANDARDS_STORE``, ``TCSTANDARDS_MAX_UPLOAD_MB``, ``TCSTANDARDS_SECURE_COOKIES`` (1),
        ``TCSTANDARDS_SECRET_KEY``."""
        env = os.environ if environ is None else environ
        size = env.get("TCSTANDARDS_MAX_UPLOAD_MB", str(DEFAULT_MAX_UPLOAD_MB))
        if not size.isdigit() or int(size) < 1:
            raise UsageError(
                f"TCSTANDARDS_MAX_UPLOAD_MB={size!r} is not a whole number of megabytes",
                code="bad-upload-limit",
                value=size,
            )
        return cls(
            store=store_location(None, dict(env)),
            max_upload_bytes=int(size) * MEGABYTE,
            secure_cookies=env.get("TCSTANDARDS_SECURE_COOKIES", "") in ("1", "true", "yes"),
            secret_key=env.get("TCSTANDARDS_SECRET_KEY") or None,
        )
