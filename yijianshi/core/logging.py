"""Structured logs (one JSON object per line) that never carry a personal identifier unmasked."""

from pythonjsonlogger.json import JsonFormatter

from yijianshi.core.masking import mask_text


class MaskingJsonFormatter(JsonFormatter):
    """Format a record as JSON, then mask the whole line: message, extra fields and tracebacks alike."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def format(self, record):
        return mask_text(super().format(record))


# The formatter every process uses (Django, the Huey consumer, gunicorn): dictConfig form.
JSON_FORMATTER = {
    "()": "yijianshi.core.logging.MaskingJsonFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
}
