"""Writes for notifications: one message to each user, with email and SMS copies queued after commit.

Copies are queued with `robust=True`: when the queue is down the change still stands and the in-app notification
is there; the copy is lost and the failure logged. One job per notice reads the recipients' addresses and queues a
copy per address, so that a failing SMS gateway retries the SMS, not the e-mail."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from yijianshi.accounts.models import User
from yijianshi.notifications import tasks
from yijianshi.notifications.models import Notification
from yijianshi.notifications.sms import sms_text


def notify(*, users, title: str, body: str, link: str = "", sms: bool = True) -> list[Notification]:
    """Notify each distinct user in-app; email and SMS copies go out once the transaction commits."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, link=link) for user in recipients.values()
    )
    _copies_after_commit(list(recipients), title, body, sms)
    return notes


def notify_accounts(
    *, applicant_id: int, user_ids: Iterable[int] = (), title: str, body: str, link: str = "", sms: bool = True
) -> list[int]:
    """Notify in-app, in one statement, each active applicant account among the applicant's own and `user_ids`
    (who acts or submitted for them); email and SMS copies go out once the transaction commits. Return the ids of
    the users notified (none: the applicant has no account)."""
    others = sorted({pk for pk in user_ids if pk is not None}) or [0]
    note, user = Notification._meta, User._meta
    created_at = note.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    where = (
        f"{user.get_field('is_active').column} = %s AND {user.get_field('kind').column} IN (%s, %s) "
        f"AND ({user.get_field('applicant').column} = %s OR {user.pk.column} IN ({', '.join(['%s'] * len(others))}))"
    )
    params = [True, User.Kind.PERSON, User.Kind.ORGANIZATION, applicant_id, *others]
    columns = ", ".join(note.get_field(name).column for name in ("recipient", "title", "body", "link", "created_at"))
    with connection.cursor() as cursor:
        if connection.features.can_return_rows_from_bulk_insert:
            cursor.execute(
                f"INSERT INTO {note.db_table} ({columns}) SELECT {user.pk.column}, %s, %s, %s, %s "  # noqa: S608
                f"FROM {user.db_table} WHERE {where} RETURNING {note.get_field('recipient').column}",
                [title, body, link, created_at, *params],
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:  # a database that cannot return inserted rows: read the recipients first
            cursor.execute(f"SELECT {user.pk.column} FROM {user.db_table} WHERE {where}", params)  # noqa: S608
            ids = [row[0] for row in cursor.fetchall()]
            Notification.objects.bulk_create(
                Notification(recipient_id=pk, title=title, body=body, link=link) for pk in ids
            )
    _copies_after_commit(ids, title, body, sms)
    return ids


def _copies_after_commit(user_ids: list[int], title: str, body: str, sms: bool) -> None:
    if user_ids:
        transaction.on_commit(lambda: tasks.copies_send(user_ids, title, body, sms), robust=True)


def copies_queue(*, user_ids: list[int], title: str, body: str, sms: bool) -> int:
    """Queue an e-mail copy of a notice to each of these users who has an address, and an SMS copy to each who
    has a phone (when `sms`); return how many were queued."""
    queued = 0
    for email, phone in User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", "phone"):
        if email:
            tasks.send_email(email, title, body)
            queued += 1
        if sms and phone:
            tasks.send_sms(phone, sms_text(title, body))
            queued += 1
    return queued


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
