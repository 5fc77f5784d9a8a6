from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yijianshi.catalog"
    label = "catalog"
    verbose_name = "事项目录"
