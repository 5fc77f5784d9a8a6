"""国密 primitives the platform needs everywhere: SM3 digests and HMAC-SM3.

The `cryptography` package carries its own OpenSSL 3, so SM3 is there whatever the system's OpenSSL was built with.
SM2 signatures (e-seals) belong to the licenses domain.
"""

import hmac as std_hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac


def sm3_hasher() -> hashes.Hash:
    """An incremental SM3 hasher (`update()` then `finalize()`), for content read in chunks."""
    return hashes.Hash(hashes.SM3())


def sm3_hex(data: bytes) -> str:
    hasher = sm3_hasher()
    hasher.update(data)
    return hasher.finalize().hex()


def hmac_sm3_hex(key: bytes, message: bytes) -> str:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize().hex()


def hmac_sm3_matches(key: bytes, message: bytes, signature: str) -> bool:
    """Check a hex HMAC-SM3 signature in constant time."""
    return std_hmac.compare_digest(hmac_sm3_hex(key, message), signature.lower())
