from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "yijianshi.commitments"
    label = "commitments"
    verbose_name = "告知承诺与信用"

    def ready(self):
        from yijianshi.cases.extensions import extension_register
        from yijianshi.commitments.extension import CommitmentsExtension

        extension_register(CommitmentsExtension())
