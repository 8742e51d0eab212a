"""Expert panels belong to a batch. Existing panels were all formed for the batch of the pack
shipped with the code (the only one before several could run)."""

from django.db import migrations, models


def to_the_shipped_batch(apps, schema_editor):
    from duixian.policy.pack import default_pack

    ExpertPanel = apps.get_model("decisions", "ExpertPanel")
    ExpertPanel.objects.filter(models.Q(batch_id="") | models.Q(batch_id__isnull=True)).update(
        batch_id=default_pack().batch_id)


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0005_paperreceipt_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="expertpanel",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, null=True, verbose_name="批次"),
        ),
        migrations.RunPython(to_the_shipped_batch, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="expertpanel",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, verbose_name="批次"),
        ),
        migrations.RemoveConstraint(model_name="expertpanel", name="one_panel_name_per_clause"),
        migrations.AlterModelOptions(
            name="expertpanel",
            options={"ordering": ["batch_id", "clause", "name"], "verbose_name": "专家组", "verbose_name_plural": "专家组"},
        ),
        migrations.AddConstraint(
            model_name="expertpanel",
            constraint=models.UniqueConstraint(fields=("batch_id", "clause", "name"),
                                               name="one_panel_name_per_clause_and_batch"),
        ),
    ]
