"""SM2 signatures (GM/T 0003, with SM3) through a small ctypes binding to the system's OpenSSL 3 libcrypto.

Why this and not a Python package: `cryptography` has SM3 and SM4 but no SM2; `tongsuopy` signs without the
GM/T 0003 Z value (the SM3 hash of the signer's distinguishing id and public key), so OpenSSL rejects its
signatures in both directions; the pure-Python libraries (gmssl, gmalg, pysmx) are far slower than the goal of
half of `openssl speed sm2`. OpenSSL 3's SM2 signature provider computes Z and runs at native speed, so we bind
only the few functions we need.

The signer id is always set explicitly: OpenSSL 1.1.1 to 3.x compute Z with an *empty* id unless told otherwise
(openssl/openssl#23162, closed as "won't fix"), whereas GM/T 0009 makes "1234567812345678" the default. To check one
of our default signatures with the OpenSSL 3.0 command line, pass `-pkeyopt distid:1234567812345678`.

Key objects are read-only once built and each sign or verify uses its own EVP_MD_CTX, so they are thread-safe;
ctypes releases the GIL during each call.
"""

import ctypes
import ctypes.util
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_size_t, c_ulong, c_void_p

from yijianshi.core.crypto import sm3_hex

DEFAULT_SIGNER_ID = b"1234567812345678"

_BIO_CTRL_INFO = 3  # BIO_get_mem_data is a macro over BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
_SIGNATURES = {  # name: (restype, argtypes)
    "ERR_clear_error": (None, []),
    "BIO_new": (c_void_p, [c_void_p]),
    "BIO_s_mem": (c_void_p, []),
    "BIO_new_mem_buf": (c_void_p, [c_char_p, c_int]),
    "BIO_ctrl": (c_long, [c_void_p, c_int, c_long, c_void_p]),
    "BIO_free": (c_int, [c_void_p]),
    "EVP_PKEY_CTX_new_from_name": (c_void_p, [c_void_p, c_char_p, c_char_p]),
    "EVP_PKEY_CTX_free": (None, [c_void_p]),
    "EVP_PKEY_CTX_set1_id": (c_int, [c_void_p, c_char_p, c_int]),
    "EVP_PKEY_keygen_init": (c_int, [c_void_p]),
    "EVP_PKEY_generate": (c_int, [c_void_p, POINTER(c_void_p)]),
    "EVP_PKEY_is_a": (c_int, [c_void_p, c_char_p]),
    "EVP_PKEY_free": (None, [c_void_p]),
    "PEM_read_bio_PrivateKey": (c_void_p, [c_void_p, c_void_p, c_void_p, c_void_p]),
    "PEM_read_bio_PUBKEY": (c_void_p, [c_void_p, c_void_p, c_void_p, c_void_p]),
    "PEM_write_bio_PrivateKey": (c_int, [c_void_p, c_void_p, c_void_p, c_void_p, c_int, c_void_p, c_void_p]),
    "PEM_write_bio_PUBKEY": (c_int, [c_void_p, c_void_p]),
    "i2d_PUBKEY_bio": (c_int, [c_void_p, c_void_p]),
    "EVP_MD_CTX_new": (c_void_p, []),
    "EVP_MD_CTX_free": (None, [c_void_p]),
    "EVP_DigestSignInit_ex": (c_int, [c_void_p, POINTER(c_void_p), c_char_p, c_void_p, c_char_p, c_void_p, c_void_p]),
    "EVP_DigestVerifyInit_ex": (c_int, [c_void_p, POINTER(c_void_p), c_char_p, c_void_p, c_char_p, c_void_p, c_void_p]),
    "EVP_DigestSign": (c_int, [c_void_p, c_char_p, POINTER(c_size_t), c_char_p, c_size_t]),
    "EVP_DigestVerify": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t]),
}
_lib = None
# A PEM password callback that refuses: without one, OpenSSL would prompt for a pass phrase on the terminal.
_NO_PASSWORD = ctypes.CFUNCTYPE(c_int, c_void_p, c_int, c_int, c_void_p)(lambda buf, size, rwflag, u: -1)


class Sm2Error(Exception):
    """A key that cannot be used (not SM2, malformed PEM) or OpenSSL 3 missing."""


def _crypto():
    """Load libcrypto 3 once and declare the signatures of the functions we call."""
    global _lib
    if _lib is None:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("crypto") or "libcrypto.so.3")
            lib.OpenSSL_version_num.restype, lib.OpenSSL_version_num.argtypes = c_ulong, []
            if lib.OpenSSL_version_num() < 0x30000000:
                raise Sm2Error(f"SM2 needs OpenSSL 3.0 or later, found version {lib.OpenSSL_version_num():#x}")
            for name, (restype, argtypes) in _SIGNATURES.items():
                function = getattr(lib, name)
                function.restype, function.argtypes = restype, argtypes
        except (OSError, AttributeError) as error:
            raise Sm2Error(f"SM2 needs the system's OpenSSL 3 libcrypto, which could not be loaded: {error}") from error
        _lib = lib
    return _lib


def _fail(message: str):
    """Clear OpenSSL's error queue, so this failure does not surface in a later call, and raise."""
    _crypto().ERR_clear_error()
    raise Sm2Error(message)


def _bio_bytes(write) -> bytes:
    """Return what `write(bio)` writes to a fresh memory BIO."""
    lib = _crypto()
    bio = lib.BIO_new(lib.BIO_s_mem())
    if not bio:
        _fail("Could not allocate an OpenSSL memory BIO")
    try:
        if write(bio) != 1:
            _fail("OpenSSL could not encode the key")
        data = c_char_p()
        length = lib.BIO_ctrl(bio, _BIO_CTRL_INFO, 0, byref(data))
        return ctypes.string_at(data, length)
    finally:
        lib.BIO_free(bio)


def _read_pem(pem: bytes, reader: str, kind: str) -> int:
    """Return an EVP_PKEY pointer read from `pem` by the named PEM_read_bio function, or raise Sm2Error."""
    lib = _crypto()
    bio = lib.BIO_new_mem_buf(pem, len(pem))
    if not bio:
        _fail("Could not allocate an OpenSSL memory BIO")
    try:
        pkey = getattr(lib, reader)(bio, None, _NO_PASSWORD, None)
    finally:
        lib.BIO_free(bio)
    if not pkey:
        _fail(f"Not a PEM-encoded {kind}")
    if lib.EVP_PKEY_is_a(pkey, b"SM2") != 1:
        lib.EVP_PKEY_free(pkey)
        _fail(f"The {kind} is not an SM2 key")
    return pkey


class _Key:
    """An owned EVP_PKEY, freed with the object."""

    _pkey = None

    def __init__(self, pkey: int):
        self._pkey = pkey

    def __del__(self):
        if self._pkey and _lib is not None:
            _lib.EVP_PKEY_free(self._pkey)
            self._pkey = None

    def _digest(self, init: str, signer_id: bytes, operate):
        """Run `operate(mctx)` on a fresh SM3 digest context for this key, with the Z value of `signer_id`."""
        lib = _crypto()
        mctx = lib.EVP_MD_CTX_new()
        if not mctx:
            _fail("Could not allocate an OpenSSL digest context")
        try:
            pctx = c_void_p()
            if getattr(lib, init)(mctx, byref(pctx), b"SM3", None, None, self._pkey, None) != 1:
                _fail("OpenSSL could not start an SM2 operation with SM3")
            if lib.EVP_PKEY_CTX_set1_id(pctx, signer_id, len(signer_id)) != 1:
                _fail("OpenSSL rejected the SM2 signer id")
            return operate(mctx)
        finally:
            lib.EVP_MD_CTX_free(mctx)


class PublicKey(_Key):
    """An SM2 public key that verifies signatures."""

    @classmethod
    def from_pem(cls, pem: bytes) -> "PublicKey":
        return cls(_read_pem(pem, "PEM_read_bio_PUBKEY", "SM2 public key"))

    def to_pem(self) -> bytes:
        return _bio_bytes(lambda bio: _crypto().PEM_write_bio_PUBKEY(bio, self._pkey))

    def to_der(self) -> bytes:
        return _bio_bytes(lambda bio: _crypto().i2d_PUBKEY_bio(bio, self._pkey))

    def fingerprint(self) -> str:
        """Return the SM3 hex digest of the DER SubjectPublicKeyInfo."""
        return sm3_hex(self.to_der())

    def verify(self, data: bytes, signature: bytes, signer_id: bytes = DEFAULT_SIGNER_ID) -> bool:
        """Tell whether `signature` (DER) is this key's SM2 signature of `data`; never raise for a bad signature."""
        lib = _crypto()

        def operate(mctx):
            # 1 is valid, 0 a wrong signature, below 0 a malformed one: only 1 counts.
            return lib.EVP_DigestVerify(mctx, signature, len(signature), data, len(data)) == 1

        valid = self._digest("EVP_DigestVerifyInit_ex", signer_id, operate)
        if not valid:
            lib.ERR_clear_error()
        return valid


class PrivateKey(_Key):
    """An SM2 private key that signs."""

    @classmethod
    def generate(cls) -> "PrivateKey":
        lib = _crypto()
        pctx = lib.EVP_PKEY_CTX_new_from_name(None, b"SM2", None)
        if not pctx:
            _fail("OpenSSL has no SM2 key generation")
        try:
            pkey = c_void_p()
            if lib.EVP_PKEY_keygen_init(pctx) != 1 or lib.EVP_PKEY_generate(pctx, byref(pkey)) != 1:
                _fail("OpenSSL could not generate an SM2 key")
            return cls(pkey.value)
        finally:
            lib.EVP_PKEY_CTX_free(pctx)

    @classmethod
    def from_pem(cls, pem: bytes) -> "PrivateKey":
        return cls(_read_pem(pem, "PEM_read_bio_PrivateKey", "unencrypted SM2 private key"))

    def to_pem(self) -> bytes:
        """Return the key as unencrypted PKCS#8 PEM."""
        return _bio_bytes(lambda bio: _crypto().PEM_write_bio_PrivateKey(bio, self._pkey, None, None, 0, None, None))

    def public_key(self) -> PublicKey:
        return PublicKey.from_pem(_bio_bytes(lambda bio: _crypto().PEM_write_bio_PUBKEY(bio, self._pkey)))

    def sign(self, data: bytes, signer_id: bytes = DEFAULT_SIGNER_ID) -> bytes:
        """Return the DER-encoded SM2 signature (with SM3 and the Z value of `signer_id`) of `data`."""
        lib = _crypto()

        def operate(mctx):
            size = c_size_t(0)
            if lib.EVP_DigestSign(mctx, None, byref(size), data, len(data)) != 1:
                _fail("OpenSSL could not size the SM2 signature")
            buffer = ctypes.create_string_buffer(size.value)
            if lib.EVP_DigestSign(mctx, buffer, byref(size), data, len(data)) != 1:
                _fail("OpenSSL could not make the SM2 signature")
            return buffer.raw[: size.value]

        return self._digest("EVP_DigestSignInit_ex", signer_id, operate)
