"""A subsidy run belongs to the batch whose pack set its period and units (issue 18 item 2);
the existing runs to the batch of the pack shipped with the code (the 2026 batch)."""

from django.db import migrations, models


def to_shipped_batch(apps, schema_editor):
    from duixian.policy.pack import default_pack

    apps.get_model("compute", "SubsidyRun").objects.filter(batch_id="").update(batch_id=default_pack().batch_id)


class Migration(migrations.Migration):

    dependencies = [
        ("compute", "0004_platform_clock_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="subsidyrun",
            name="batch_id",
            field=models.CharField(default="", max_length=80, verbose_name="批次"),
            preserve_default=False,
        ),
        migrations.RunPython(to_shipped_batch, migrations.RunPython.noop),
    ]
