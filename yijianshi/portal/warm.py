"""What a web worker does once when it starts, before its first request (gunicorn's `post_worker_init`).

- The URL patterns are resolved: a process's first `reverse` costs about a second, and a first submission would pay
  it while holding its region's case-number row, so that every other submission of the region waited.
- The search index and the live catalog snapshots are built: the first search and the first guide page would wait.
- Then what was built is moved out of the garbage collector's way (`gc.freeze`): a worker holds the index and the
  snapshots for its whole life, and the full collections that would otherwise walk them make requests stall for
  a few hundred milliseconds.

A failure is logged and the worker starts anyway: each of these is also done on first use.
"""

import gc
import logging

logger = logging.getLogger(__name__)


def worker_warm() -> None:
    from django.db import connections
    from django.urls import reverse

    from yijianshi.catalog.search import current_index
    from yijianshi.catalog.selectors import life_event_summaries

    try:
        reverse("portal:home")
        current_index()
        life_event_summaries()
    except Exception:
        logger.exception("worker warm-up failed; the first requests will do it")
    finally:
        connections.close_all()  # the requests' threads open their own
    gc.collect()
    gc.freeze()
