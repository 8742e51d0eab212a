"""Platform-wide request handling: login by default, and Chinese first.

Every page asks for login unless its view is marked public with @login_not_required; the
machine API under /api/ authenticates with tokens of its own, and static files are public.
"""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

PUBLIC_PREFIXES = ("/api/", "/static/")


class LoginRequiredByDefaultMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser in a Hefei office would get English pages; the platform speaks Chinese first and
    English only on request (the language cookie set by the switch in the footer).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
