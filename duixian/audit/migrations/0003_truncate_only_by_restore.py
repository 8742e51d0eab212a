"""TRUNCATE of the audit trail only when the session says it is a restore (or a test teardown).

`duixian restore` replaces every table, the audit trail included, with a backup's content, and
pytest-django empties tables between transactional tests; both set the session variable
`duixian.audit_truncate = 'on'`. Application code never does, so a stray TRUNCATE is refused.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_auditevent_truncate_guard() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('duixian.audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '审计日志只能追加，不能清空（%）', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_truncate_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only();
DROP FUNCTION IF EXISTS audit_auditevent_truncate_guard();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: RAISE uses a literal %
    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
