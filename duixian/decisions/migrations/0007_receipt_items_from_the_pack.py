# A paper receipt records which of its batch's `delivery.items` arrived (the pack's words) instead
# of three fixed boxes for the 2026 notice's 推荐函, 汇总表 and 盖章材料. Existing receipts keep what
# they recorded, under the 2026 pack's words for those three items.

from django.db import migrations, models

# The three boxes and the 2026 pack's words for them (its delivery.items), as they were then.
BOXES = (
    ("recommendation_letter", "推荐函"),
    ("summary_table", "项目申报汇总表（附件2）"),
    ("stamped_materials", "兑现材料（加盖公章）"),
)


def boxes_to_items(apps, schema_editor):
    PaperReceipt = apps.get_model("decisions", "PaperReceipt")
    for receipt in PaperReceipt.objects.all():
        receipt.items = [item for box, item in BOXES if getattr(receipt, box)]
        receipt.save(update_fields=["items"])


def items_to_boxes(apps, schema_editor):
    PaperReceipt = apps.get_model("decisions", "PaperReceipt")
    for receipt in PaperReceipt.objects.all():
        for box, item in BOXES:
            setattr(receipt, box, item in (receipt.items or []))
        receipt.save(update_fields=[box for box, _item in BOXES])


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0006_expertpanel_batch'),
    ]

    operations = [
        migrations.AddField(
            model_name='paperreceipt',
            name='items',
            field=models.JSONField(blank=True, default=list, verbose_name='已收材料'),
        ),
        migrations.RunPython(boxes_to_items, items_to_boxes),
        migrations.RemoveField(
            model_name='paperreceipt',
            name='recommendation_letter',
        ),
        migrations.RemoveField(
            model_name='paperreceipt',
            name='stamped_materials',
        ),
        migrations.RemoveField(
            model_name='paperreceipt',
            name='summary_table',
        ),
    ]
