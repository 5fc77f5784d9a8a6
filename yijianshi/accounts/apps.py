from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yijianshi.accounts"
    label = "accounts"
    verbose_name = "账户与组织"

    def ready(self):
        from yijianshi.accounts import signals  # noqa: F401 (connects the receivers)
