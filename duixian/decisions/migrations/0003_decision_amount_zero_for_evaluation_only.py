"""An approved decision may carry 0 万元: a park evaluated but not redeemed (五（一）4)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_decision_panel_waiver_objection_outcome"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="decision", name="approved_decision_has_amount"),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(("outcome", "rejected"), ("amount_wan__gte", 0), _connector="OR"),
                name="approved_decision_has_amount",
            ),
        ),
    ]
