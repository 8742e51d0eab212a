# The 部分拨付 state (issue 15, item 6b): choices only, no change to the tables.

from django.db import migrations, models

STATES = [("draft", "草稿"), ("submitted", "已提交，待市级审核"), ("returned", "已退回补正"), ("recommended", "市级已推荐"),
          ("not_recommended", "市级不予推荐"), ("expired", "逾期未审核或未补正"), ("approved", "省级评审通过"),
          ("rejected", "省级评审未通过"), ("published", "已公示"), ("partly_paid", "部分拨付"), ("paid", "已兑现拨付"),
          ("withdrawn", "已撤回")]


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_platform_clock_timestamps")]

    operations = [
        migrations.AlterField(
            model_name="application", name="state",
            field=models.CharField(choices=STATES, db_index=True, default="draft", max_length=20, verbose_name="状态"),
        ),
        migrations.AlterField(
            model_name="statechange", name="from_state",
            field=models.CharField(choices=STATES, max_length=20, verbose_name="原状态"),
        ),
        migrations.AlterField(
            model_name="statechange", name="to_state",
            field=models.CharField(choices=STATES, max_length=20, verbose_name="新状态"),
        ),
    ]
