"""Serving a stored file to someone already allowed to read it."""

from urllib.parse import quote

from django.http import FileResponse

from yijianshi.files.models import StoredFile


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    response = FileResponse(stored.content.open("rb"), content_type=stored.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(stored.name)}"
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
