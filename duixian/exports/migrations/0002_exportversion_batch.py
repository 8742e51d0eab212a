"""Export versions belong to a batch (issue 18 item 2): the existing ones to the batch of the
pack shipped with the code (the 2026 batch, the only one before several could run)."""

from django.db import migrations, models


def to_shipped_batch(apps, schema_editor):
    from duixian.policy.pack import default_pack

    apps.get_model("exports", "ExportVersion").objects.filter(batch_id="").update(batch_id=default_pack().batch_id)


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0001_export_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportversion",
            name="batch_id",
            field=models.CharField(default="", max_length=80, verbose_name="批次"),
            preserve_default=False,
        ),
        migrations.RunPython(to_shipped_batch, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="exportversion", name="one_export_version_number"),
        migrations.AddConstraint(
            model_name="exportversion",
            constraint=models.UniqueConstraint(fields=("city_code", "batch_id", "kind", "number"),
                                               name="one_export_version_number"),
        ),
        migrations.AlterModelOptions(
            name="exportversion",
            options={"ordering": ["city_code", "batch_id", "kind", "-number"], "verbose_name": "导出文件版本",
                     "verbose_name_plural": "导出文件版本"},
        ),
    ]
