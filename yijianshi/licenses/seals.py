"""电子印章: each issuing department's SM2 key, encrypted at rest, its seal image, and rotation.

The private key is stored as PKCS#8 PEM encrypted with SM4-GCM under a key derived (HKDF-SM3) from `YJS_SEAL_KEY`;
the seal's fingerprint is the associated data, so an encrypted key cannot be moved to another seal's row. Decrypted
keys are kept per process, keyed by fingerprint: a seal's key never changes, rotation makes a new seal.
"""

import math
import os
import threading
from html import escape

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Department
from yijianshi.core.errors import Conflict
from yijianshi.licenses import sm2
from yijianshi.licenses.models import Seal

NONCE_BYTES = 12
TAG_BYTES = 16

_keys: dict[str, sm2.PrivateKey] = {}
_keys_lock = threading.Lock()


def _wrapping_key() -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=b"yijianshi seal private keys").derive(
        settings.YJS_SEAL_KEY.encode()
    )


def _encrypt(plaintext: bytes, *, fingerprint: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_wrapping_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(fingerprint.encode())
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def _decrypt(blob: bytes, *, fingerprint: str) -> bytes:
    nonce, ciphertext, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_wrapping_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(fingerprint.encode())
    return decryptor.update(ciphertext) + decryptor.finalize()


def seal_private_key(seal: Seal) -> sm2.PrivateKey:
    """The seal's private key, decrypted once per process."""
    with _keys_lock:
        key = _keys.get(seal.fingerprint)
    if key is None:
        key = sm2.PrivateKey.from_pem(_decrypt(bytes(seal.private_key_encrypted), fingerprint=seal.fingerprint))
        with _keys_lock:
            _keys[seal.fingerprint] = key
    return key


def seal_image_svg(name: str) -> str:
    """A round red seal with the department's name along the rim and a star in the middle (the image printed on
    license documents; the signature, not the picture, is what proves the seal). Each character is placed and turned
    on its own, so that every SVG renderer (browsers, WeasyPrint) draws it the same."""
    chars = list(name)[:24]
    span = min(250.0, 21.0 * len(chars))
    step = span / max(len(chars) - 1, 1)
    glyphs = []
    for index, char in enumerate(chars):
        angle = 270.0 - span / 2 + index * step if len(chars) > 1 else 270.0
        x = 100 + 70 * math.cos(math.radians(angle))
        y = 100 + 70 * math.sin(math.radians(angle))
        glyphs.append(
            f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate({angle + 90:.1f} {x:.1f} {y:.1f})" '
            f'text-anchor="middle" dominant-baseline="central">{escape(char)}</text>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200" role="img" '
        f'aria-label="{escape(name)}">'
        '<circle cx="100" cy="100" r="92" fill="none" stroke="#d0021b" stroke-width="6"/>'
        '<g font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif" font-size="20" font-weight="bold" '
        f'fill="#d0021b">{"".join(glyphs)}</g>'
        '<polygon fill="#d0021b" points="100,72 108,96 134,96 113,111 121,136 100,121 79,136 87,111 66,96 92,96"/>'
        "</svg>"
    )


def seal_create(*, department: Department, name: str = "") -> Seal:
    """Make a new SM2 seal for the department and retire its current one (rotation). What the old seal signed stays
    verifiable: its public key is kept."""
    key = sm2.PrivateKey.generate()
    public = key.public_key()
    name = name.strip() or _("%(department)s电子印章") % {"department": department.name}
    with transaction.atomic():
        Seal.objects.select_for_update().filter(department=department, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        seal = Seal(
            department=department,
            name=name,
            public_key_pem=public.to_pem().decode(),
            fingerprint=public.fingerprint(),
            image_svg=seal_image_svg(department.name),
        )
        seal.private_key_encrypted = _encrypt(key.to_pem(), fingerprint=seal.fingerprint)
        seal.full_clean(exclude=["private_key_encrypted"])
        try:
            with transaction.atomic():
                seal.save()
        except IntegrityError as error:  # another rotation of the same department committed first
            raise Conflict(_("该部门的印章正在更换，请稍后重试。"), code="seal_rotating") from error
    with _keys_lock:
        _keys[seal.fingerprint] = key
    return seal


def seal_current(department: Department) -> Seal:
    """The department's current seal, made on first use (a department that issues licenses needs one)."""
    seal = Seal.objects.filter(department=department, retired_at__isnull=True).first()
    if seal is not None:
        return seal
    try:
        return seal_create(department=department)
    except Conflict:  # made by a concurrent first issue of the same department
        return Seal.objects.get(department=department, retired_at__isnull=True)
