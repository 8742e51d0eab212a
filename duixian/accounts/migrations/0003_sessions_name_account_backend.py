"""Sessions signed in before AccountBackend replaced Django's ModelBackend name the old backend;
Django would treat them as signed out. Rename it in each stored session, so a release made in
the middle of the application window does not sign every applicant out."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "duixian.accounts.backends.AccountBackend"


def rename_backend(apps, schema_editor, old=OLD, new=NEW):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def rename_back(apps, schema_editor):
    rename_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_rolegrant"), ("sessions", "0001_initial")]
    operations = [migrations.RunPython(rename_backend, rename_back)]
