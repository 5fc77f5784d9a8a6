"""What a user may do, kept per process so that a request does not read roles, scopes and memberships again.

An entry is keyed by the user and their `access_version`, which moves on in the same transaction as any change to
what they may do (`access_changed`: role assignments, a role's scopes or name, organisation memberships; the signal
receivers in `accounts.signals` call it). The user row each request loads anyway carries the version, so a change
made by any process is seen by every other on its next request, at no cost. An entry also ends when the first of the
user's memberships runs out (`valid_until`).

While a transaction that changed access is open, nothing is kept: what is built then reads its uncommitted rows under
a version that a rollback would leave current. The next call after the transaction ends (commit or rollback) starts
afresh.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

MAX_ENTRIES = 10_000

_lock = threading.Lock()
_entries: OrderedDict[int, tuple[tuple, datetime | None, object]] = OrderedDict()
# Per thread (a thread's connection has its own transaction): this thread's open transaction changed access.
_changing = threading.local()


def _key(user) -> tuple:
    # The join date tells a new user from an old one that had the same id (SQLite reuses the highest id freed).
    return (user.access_version, user.kind, user.is_superuser, user.is_active, user.applicant_id, user.date_joined)


def cached(user, build: Callable[[], tuple[object, datetime | None]]):
    """The value `build` makes for the user (with the moment it stops holding, or None), from this process's cache
    while the user's access has not changed."""
    key, now = _key(user), timezone.now()
    if getattr(_changing, "open", False):
        if transaction.get_connection().in_atomic_block:
            return build()[0]
        clear()  # the transaction ended without committing (a commit clears the mark itself)
    with _lock:
        entry = _entries.get(user.pk)
        if entry is not None and entry[0] == key and (entry[1] is None or now < entry[1]):
            _entries.move_to_end(user.pk)
            return entry[2]
    value, until = build()
    with _lock:
        _entries[user.pk] = (key, until, value)
        _entries.move_to_end(user.pk)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def access_changed(users: Q) -> None:
    """Retire the cached access of the users `users` selects, in every process (within the caller's transaction).

    This process forgets its entries at once and again on commit: a user object loaded before the change still
    holds the old version, and must not meet an entry built meanwhile from what was committed before."""
    from yijianshi.accounts.models import User

    User.objects.filter(users).update(access_version=F("access_version") + 1)
    clear()
    _changing.open = True
    transaction.on_commit(clear)


def clear() -> None:
    """Forget every entry of this process (and this thread's mark of a transaction changing access)."""
    _changing.open = False
    with _lock:
        _entries.clear()
