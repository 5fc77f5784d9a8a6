from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "yijianshi.portal"
    label = "portal"
    verbose_name = "办事大厅"
