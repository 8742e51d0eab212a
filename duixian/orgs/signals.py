"""Signals about organisations, for apps that react without orgs knowing them.

`profile_changed(sender=Organisation, organisation, previous, user)`: sent inside the profile
update's transaction after the changed facts are saved; `previous` maps each changed field to
its old value (the matching tells the organisation of clauses the change made possible;
applications tells the city's clerks when a confirmed organisation changed facts the rules read).
"""

from django.dispatch import Signal

profile_changed = Signal()
