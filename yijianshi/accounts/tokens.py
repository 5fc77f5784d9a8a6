"""Bearer token format: `yjs_` + 43 URL-safe characters; only the SHA-256 digest is stored."""

import hashlib
import secrets

TOKEN_PREFIX = "yjs_"  # noqa: S105 (a visible marker, not a secret)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
