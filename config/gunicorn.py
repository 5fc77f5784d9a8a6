"""gunicorn settings for `yjs serve`: its own log lines in the platform's masked JSON format.

The access log stays off; RequestLogMiddleware writes one masked line per request instead.
"""

from yijianshi.core.logging import JSON_FORMATTER

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def post_worker_init(worker):
    from yijianshi.portal.warm import worker_warm

    worker_warm()
