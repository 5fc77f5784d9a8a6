"""Printable documents: HTML rendered to PDF by WeasyPrint with the Noto CJK fonts."""

from django.template.loader import render_to_string


def pdf_from_template(template: str, context: dict, *, base_url: str) -> bytes:
    """Render a template and print it to PDF. WeasyPrint loads lazily: only PDF requests pay for it."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()
