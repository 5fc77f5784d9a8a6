from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "yijianshi.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from yijianshi.cases import signals  # noqa: F401 (connects the receivers)
