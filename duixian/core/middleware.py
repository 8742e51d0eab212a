"""Every page asks for login unless its view is marked public with @login_not_required.

The machine API under /api/ authenticates with tokens of its own, and static files are public.
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware

PUBLIC_PREFIXES = ("/api/", "/static/")


class LoginRequiredByDefaultMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
