"""Printable documents: HTML rendered to PDF by WeasyPrint with the Noto CJK fonts.

A guide's PDF takes a second or two to lay out, but only changes when its content does. PDFs are kept in storage
under the SHA-256 of the HTML they were printed from: the same content is printed once, changed content prints anew.
"""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

CACHE_FOLDER = "pdf-cache"


def pdf_from_template(template: str, context: dict, *, base_url: str) -> bytes:
    """Render a template and print it to PDF, or return the PDF already printed from the same HTML."""
    html = render_to_string(template, context)
    name = f"{CACHE_FOLDER}/{hashlib.sha256(html.encode('utf-8')).hexdigest()}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    from weasyprint import HTML  # loaded on first use: only PDF requests pay for it

    pdf = HTML(string=html, base_url=base_url).write_pdf()
    default_storage.save(name, ContentFile(pdf))
    return pdf
