"""Values every page shows: the platform name, the batch, and the demo clock banner."""

from django.conf import settings

from duixian.core import clock


def platform(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "platform_now": clock.local_now() if settings.DEMO_MODE else None,
    }
