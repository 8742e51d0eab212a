"""Signals about organisations, for apps that react without orgs knowing them.

`profile_changed(sender=Organisation, organisation, previous, user)`: sent inside the profile
update's transaction after the changed facts are saved; `previous` maps each changed field to
its old value (the matching tells the organisation of clauses the change made possible).
"""

from django.dispatch import Signal

profile_changed = Signal()
