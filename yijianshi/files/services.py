"""Writes for files: check an upload by content and keep it."""

import hashlib
import os
import unicodedata

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from yijianshi.core.crypto import sm3_hasher
from yijianshi.core.errors import InvalidInput
from yijianshi.files import formats
from yijianshi.files.models import StoredFile

CHUNK = 256 * 1024
MAX_NAME = 120


def clean_name(name: str, format_name: str) -> str:
    """The name to show: no path, no control characters, not too long, and the extension of the real format."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:MAX_NAME].strip(" .") or _("文件")
    return f"{stem}.{formats.EXTENSIONS[format_name]}"


def too_large_message() -> str:
    return _("文件大小超过 %(limit)s 的上限。") % {"limit": filesizeformat(settings.YJS_UPLOAD_MAX_BYTES)}


def file_store(
    *, upload, name: str, user=None, client=None, field: str = "file", allowed=formats.FORMATS
) -> StoredFile:
    """Check `upload` (a file object) by content and store it; InvalidInput naming `field` when it is refused."""
    sha256, sm3 = hashlib.sha256(), sm3_hasher()
    size = 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        size += len(chunk)
        if size > settings.YJS_UPLOAD_MAX_BYTES:
            raise InvalidInput.for_field(field, too_large_message())
        sha256.update(chunk)
        sm3.update(chunk)
    if size == 0:
        raise InvalidInput.for_field(field, _("文件是空的。"))
    format_name = formats.sniff(head)
    if format_name is None:
        raise InvalidInput.for_field(field, str(formats.UNKNOWN_FORMAT))
    if format_name not in allowed:
        raise InvalidInput.for_field(
            field,
            _("不接受 %(got)s 格式的文件，请上传 %(allowed)s 格式。")
            % {"got": formats.LABELS[format_name], "allowed": formats.describe(allowed)},
        )
    try:
        facts = formats.inspect(upload, format_name)
    except formats.Refused as refused:
        raise InvalidInput.for_field(field, str(refused)) from refused
    stored = StoredFile(
        name=clean_name(name, format_name),
        format=format_name,
        size=size,
        pages=facts.get("pages"),
        sha256=sha256.hexdigest(),
        sm3=sm3.finalize().hex(),
        uploaded_by=user,
        uploaded_by_client=client,
    )
    upload.seek(0)
    # The row is written only once the content is safely stored; a row that fails removes the content again.
    stored.content.save(f"upload.{formats.EXTENSIONS[format_name]}", File(upload), save=False)
    try:
        with transaction.atomic():
            stored.full_clean()
            stored.save(force_insert=True)
    except Exception:
        stored.content.delete(save=False)
        raise
    return stored
