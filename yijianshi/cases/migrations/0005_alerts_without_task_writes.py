"""The deadline scan writes alerts only (cases.deadlines): a task keeps just the level carried over a moved due date.

The old `alert_level` held every level raised, the carried one included; kept under the new name it suppresses
exactly what it did, and the alerts of each due date do the rest. The alerts lose their foreign-key constraint on the
task, as they did on the case and the department (the scan selects them from the tasks it reads)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_remove_casematerial_deferred_until"),
    ]

    operations = [
        migrations.RenameField(model_name="task", old_name="alert_level", new_name="carried_alert_level"),
        migrations.AlterField(
            model_name="task",
            name="carried_alert_level",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "无"), (1, "黄灯"), (2, "红灯")], default=0, verbose_name="顺延前已发预警"
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="task",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="alerts",
                to="cases.task",
                verbose_name="任务",
            ),
        ),
    ]
