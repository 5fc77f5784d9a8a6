from yijianshi.cases.models.cases import (
    APPLICANT_CHANNELS,
    WINDOW_CHANNELS,
    Case,
    CaseMaterial,
    CaseMaterialFile,
    CaseSequence,
    Channel,
    CorrectionNotice,
    DeliveryMethod,
)
from yijianshi.cases.models.events import CaseEvent
from yijianshi.cases.models.tasks import Alert, ResultFile, Suspension, Task
from yijianshi.cases.models.webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "APPLICANT_CHANNELS",
    "WINDOW_CHANNELS",
    "Alert",
    "Case",
    "CaseEvent",
    "CaseMaterial",
    "CaseMaterialFile",
    "CaseSequence",
    "Channel",
    "CorrectionNotice",
    "DeliveryMethod",
    "ResultFile",
    "Suspension",
    "Task",
    "WebhookDelivery",
    "WebhookSubscription",
]
