from django.apps import AppConfig


class LicensesConfig(AppConfig):
    name = "yijianshi.licenses"
    label = "licenses"
    verbose_name = "电子证照"

    def ready(self):
        from yijianshi.catalog.personal import plan_personalizer_register
        from yijianshi.licenses.personal import plan_for_applicant

        plan_personalizer_register(plan_for_applicant)
