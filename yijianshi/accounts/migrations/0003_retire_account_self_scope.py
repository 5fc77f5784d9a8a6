"""Any caller may read /me; the scope that guarded it is retired."""

from django.db import migrations


def retire(apps, schema_editor):
    apps.get_model("accounts", "Scope").objects.filter(code="account.self").delete()


def restore(apps, schema_editor):
    Scope = apps.get_model("accounts", "Scope")
    Role = apps.get_model("accounts", "Role")
    scope, _ = Scope.objects.get_or_create(code="account.self", defaults={"name": "查看本人账户信息"})
    for role in Role.objects.all():
        role.scopes.add(scope)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_roles_and_scopes")]
    operations = [migrations.RunPython(retire, restore)]
