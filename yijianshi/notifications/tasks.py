"""Jobs that send copies of notifications outside the platform. They only call the sending functions."""

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import db_task

from yijianshi.notifications.sms import gateway


@db_task(retries=3, retry_delay=60)
def copies_send(user_ids: list[int], title: str, body: str, sms: bool) -> None:
    from yijianshi.notifications.services import copies_queue

    copies_queue(user_ids=user_ids, title=title, body=body, sms=sms)


@db_task(retries=3, retry_delay=60)
def send_email(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


@db_task(retries=3, retry_delay=60)
def send_sms(phone: str, text: str) -> None:
    gateway().send(phone, text)
