"""Model fields that take their time from the platform clock (duixian.core.clock).

`PlatformDateTimeField(auto_now_add=True)` / `(auto_now=True)` behave like Django's, except
that the moment is `clock.now()`: in demo mode the demo clock's time, so that a draft created
"on 20 April" in the demo says 20 April everywhere, like its submission and review beside it.
Outside demo mode clock.now() is the real time, so nothing changes in production.
"""

from __future__ import annotations

from django.db import models

from duixian.core import clock


class PlatformDateTimeField(models.DateTimeField):
    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
