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

        # gunicorn runs no system checks: a mistyped rate must stop the server here, not answer
        # the first POST of a form with an error page.
        problems = checks.rate_limits_are_readable(None)
        if problems:
            raise ImproperlyConfigured(" ".join(f"{p.msg} ({p.id})" for p in problems))
