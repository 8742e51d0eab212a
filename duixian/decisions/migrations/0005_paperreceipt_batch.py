"""Paper receipts belong to a batch: one per city and batch. Existing rows were all recorded for
the batch of the pack shipped with the code (the only one before several could run)."""

from django.db import migrations, models


def to_the_shipped_batch(apps, schema_editor):
    from duixian.policy.pack import default_pack

    PaperReceipt = apps.get_model("decisions", "PaperReceipt")
    PaperReceipt.objects.filter(models.Q(batch_id="") | models.Q(batch_id__isnull=True)).update(
        batch_id=default_pack().batch_id)


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0004_decision_publication_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="paperreceipt",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, null=True, verbose_name="批次"),
        ),
        migrations.RunPython(to_the_shipped_batch, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paperreceipt",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, verbose_name="批次"),
        ),
        migrations.AlterField(
            model_name="paperreceipt",
            name="city_code",
            field=models.CharField(max_length=6, verbose_name="地市"),
        ),
        migrations.AlterModelOptions(
            name="paperreceipt",
            options={"ordering": ["batch_id", "city_code"], "verbose_name": "纸质材料接收登记",
                     "verbose_name_plural": "纸质材料接收登记"},
        ),
        migrations.AddConstraint(
            model_name="paperreceipt",
            constraint=models.UniqueConstraint(fields=("city_code", "batch_id"), name="one_receipt_per_city_and_batch"),
        ),
    ]
