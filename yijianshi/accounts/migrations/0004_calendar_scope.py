"""The work calendar gets its own scope, held by system administrators."""

from django.db import migrations

SCOPE = ("calendar.manage", "维护工作日历（节假日与调休）")


def seed(apps, schema_editor):
    Scope = apps.get_model("accounts", "Scope")
    Role = apps.get_model("accounts", "Role")
    scope, _ = Scope.objects.update_or_create(code=SCOPE[0], defaults={"name": SCOPE[1]})
    for role in Role.objects.filter(code="system_admin"):
        role.scopes.add(scope)


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Scope").objects.filter(code=SCOPE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_retire_account_self_scope")]
    operations = [migrations.RunPython(seed, unseed)]
