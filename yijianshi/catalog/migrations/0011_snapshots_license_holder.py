"""Published snapshots from before `license_holder`: their materials are the applicant's own (the default), so plans
of old versions, and the cases that froze them, compute as before."""

from django.db import migrations


def fill(apps, schema_editor):
    for name in ("ItemVersion", "LifeEventVersion"):
        model = apps.get_model("catalog", name)
        for version in model.objects.only("pk", "snapshot").iterator(chunk_size=500):
            items = (version.snapshot or {}).get("items", {})
            missing = [m for item in items.values() for m in item.get("materials", ()) if "license_holder" not in m]
            if not missing:
                continue
            for material in missing:
                material["license_holder"] = ""
            model.objects.filter(pk=version.pk).update(snapshot=version.snapshot)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_material_license_holder")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
