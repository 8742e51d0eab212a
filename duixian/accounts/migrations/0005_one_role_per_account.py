# The constraints in a migration of their own: on PostgreSQL the grants inserted by 0004 leave
# deferred foreign-key checks pending, and ALTER TABLE in the same transaction would be refused.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_roles_from_grants'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['province', 'expert', 'city_clerk']), models.Q(('granted_by__isnull', True), ('role__in', ['audit_admin', 'security_admin', 'system_admin'])), _connector='OR'), name='grant_is_a_business_role'),
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user',), name='one_active_grant_per_user'),
        ),
    ]
