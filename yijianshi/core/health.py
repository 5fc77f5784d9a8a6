"""Liveness and readiness probes for load balancers and operators."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_queue() -> int:
    """Reach the queue's storage; return the number of pending jobs."""
    return HUEY.pending_count()


@never_cache
@require_GET
def readyz(request):
    """The database and the job queue are reachable; 503 names what is not."""
    checks: dict[str, dict] = {}
    for name, probe in (("database", check_database), ("queue", check_queue)):
        try:
            result = probe()
        except Exception as error:  # a probe reports every failure, whatever its kind
            logger.warning("readiness check failed", extra={"check": name, "error": str(error)})
            checks[name] = {"status": "error", "error": type(error).__name__}
        else:
            checks[name] = {"status": "ok"}
            if name == "queue":
                checks[name]["pending"] = result
    ready = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
