"""Decisions and 公示 belong to a batch (issue 18 item 2): a decision to its application's batch,
a 公示 to its projects' batch; rows without one to the batch of the pack shipped with the code
(the 2026 batch, the only one before several could run)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def to_their_batch(apps, schema_editor):
    from duixian.policy.pack import default_pack

    Application = apps.get_model("applications", "Application")
    Decision = apps.get_model("decisions", "Decision")
    Publication = apps.get_model("decisions", "Publication")
    PublicationItem = apps.get_model("decisions", "PublicationItem")
    Decision.objects.update(batch_id=Subquery(
        Application.objects.filter(pk=OuterRef("application_id")).values("batch_id")[:1]))
    Publication.objects.update(batch_id=Subquery(
        PublicationItem.objects.filter(publication_id=OuterRef("pk")).order_by("number")
        .values("application__batch_id")[:1]))
    shipped = default_pack().batch_id
    Decision.objects.filter(models.Q(batch_id="") | models.Q(batch_id__isnull=True)).update(batch_id=shipped)
    Publication.objects.filter(models.Q(batch_id="") | models.Q(batch_id__isnull=True)).update(batch_id=shipped)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_partly_paid_state"),
        ("decisions", "0003_decision_amount_zero_for_evaluation_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, null=True, verbose_name="批次"),
        ),
        migrations.AddField(
            model_name="publication",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, null=True, verbose_name="批次"),
        ),
        migrations.RunPython(to_their_batch, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, verbose_name="批次"),
        ),
        migrations.AlterField(
            model_name="publication",
            name="batch_id",
            field=models.CharField(db_index=True, max_length=80, verbose_name="批次"),
        ),
    ]
