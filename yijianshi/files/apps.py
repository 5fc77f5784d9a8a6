from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "yijianshi.files"
    label = "files"
    verbose_name = "文件"
