"""The scope to keep credit records: import serious-dishonesty marks from outside, repair marks by hand. Credit
records are not regional (a mark follows its subject everywhere): system administrators hold it, and the API asks for
a grant over the whole platform."""

from django.db import migrations

SCOPE = ("credit.manage", "记录、导入和修复信用记录")
ROLES = ("system_admin",)


def seed(apps, schema_editor):
    Scope = apps.get_model("accounts", "Scope")
    Role = apps.get_model("accounts", "Role")
    scope, _ = Scope.objects.update_or_create(code=SCOPE[0], defaults={"name": SCOPE[1]})
    for role in Role.objects.filter(code__in=ROLES):
        role.scopes.add(scope)


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Scope").objects.filter(code=SCOPE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_license_scope")]
    operations = [migrations.RunPython(seed, unseed)]
