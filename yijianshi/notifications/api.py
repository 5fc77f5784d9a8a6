"""In-app notifications of the caller."""

from ninja import Query, Router
from ninja.pagination import paginate

from yijianshi.core.errors import NotFound
from yijianshi.core.pagination import Pagination
from yijianshi.core.schemas import ERROR_STATUSES, ErrorOut
from yijianshi.notifications import services
from yijianshi.notifications.models import Notification
from yijianshi.notifications.schemas import NotificationOut

router = Router(tags=["消息通知"])


def _own(request):
    user = request.auth.user
    if user is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


@router.get("/notifications", response={200: list[NotificationOut], ERROR_STATUSES: ErrorOut}, summary="我的站内消息")
@paginate(Pagination)
def notification_list(request, unread: bool = Query(False, description="只看未读")):
    notes = _own(request)
    return notes.filter(read_at__isnull=True) if unread else notes


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, ERROR_STATUSES: ErrorOut},
    summary="标记为已读",
)
def notification_read(request, notification_id: int):
    notification = _own(request).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound()
    return services.notification_mark_read(notification=notification)
