"""One application per organisation, clause and project within a batch (issue 18 item 2): the
same project may be applied for again under next year's notice."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0006_material_wallet_document"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="application", name="one_application_per_org_clause_project"),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(condition=~Q(state="withdrawn"),
                                               fields=("organisation", "batch_id", "clause", "project_name"),
                                               name="one_application_per_org_clause_project"),
        ),
    ]
