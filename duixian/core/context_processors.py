"""Values every page shows: the platform name, the batch, the demo clock banner, 适老化 mode."""

from django.conf import settings

from duixian.core import care_mode, clock


def platform(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "platform_now": clock.local_now() if settings.DEMO_MODE else None,
        "CARE_MODE": care_mode.is_on(request),
    }
