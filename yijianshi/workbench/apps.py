from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "yijianshi.workbench"
    label = "workbench"
    verbose_name = "工作台"
