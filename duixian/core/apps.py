from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "平台"
    name = "duixian.core"
    label = "core"

    def ready(self):
        from django.core.exceptions import ImproperlyConfigured

        from duixian.core import checks  # (registers the deploy checks)
        from duixian.core import clock

        clock.connect_signals()
        from django.db.backends.signals import connection_created

        from duixian.core import replan

        connection_created.connect(replan.install, dispatch_uid="duixian.core.replan.install")
        refuse_control_characters_in_text_fields()

        # gunicorn runs no system checks: a mistyped rate must stop the server here, not answer
        # the first POST of a form with an error page.
        problems = checks.rate_limits_are_readable(None)
        if problems:
            raise ImproperlyConfigured(" ".join(f"{p.msg} ({p.id})" for p in problems))


def refuse_control_characters_in_text_fields() -> None:
    """Every text field of every form refuses control characters (duixian.core.text), with a
    Chinese message beside the field: Django's CharField already refuses NUL; the other
    control characters would otherwise be stored and later break the Word and Excel files the
    text reaches (XML cannot hold them). Set once on the class, so the forms of every app,
    the dynamic application sections included, get it without each declaring it."""
    from django import forms

    from duixian.core.text import no_control_characters

    if no_control_characters not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, no_control_characters]
