"""Platform-wide request handling: login by default, and Chinese first.

Every page asks for login unless its view is marked public with @login_not_required; the
machine API under /api/ authenticates with tokens of its own, and static files are public.
"""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

PUBLIC_PREFIXES = ("/api/", "/static/")


class RefuseNulMiddleware:
    """A NUL character in the query string or a form field is refused with 400.

    No text a person types holds NUL (Django's form fields refuse it already), but a view,
    django-axes or a login lookup that passes a raw parameter to the database would fail on
    PostgreSQL ("A string literal cannot contain NUL") with a 500. Refused here, before anything
    reads it. Other control characters are refused per field, with the form (duixian.core.text);
    a NUL in the path matches no converter that reaches the database (<id:…>, <city:…>), so 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The machine API validates its own parameters and body (django-ninja) and answers in its
        # documented refusal shape (a plain-text 400 here is not in its schema); reading
        # request.POST here would also consume a multipart body before it could.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        form = request.method == "POST"
        if self._has_nul(request.GET) or (form and self._has_nul(request.POST)):
            from django.utils.translation import gettext

            return HttpResponseBadRequest(gettext("请求中含有空字符（NUL，一种不可见的控制字符），无法处理。请删除后重新输入，或检查链接。"),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(params) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())


class LoginRequiredByDefaultMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        # A public view needs no one signed in: asked first, before Django's own check reads the
        # session and the user (two queries, most of the CPU of a signed-in visitor's /healthz; a
        # public page still reads them when it shows who is signed in).
        if request.path.startswith(PUBLIC_PREFIXES) or not getattr(view_func, "login_required", True):
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
