"""django-axes in front of the model backend, and the model backend itself.

Axes needs the request to count failures. Logins without one (the test client's `login()`,
scripts) are not web logins, so they are not counted, instead of failing outright.
"""

from dataclasses import dataclass
from functools import cache

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

User = get_user_model()


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(ModelBackend):
    """The model backend, loading a request's user together with what nearly every page asks
    about them: the organisation membership (`user.membership`, cached; staff have none)
    and whether a confirmed second factor is enrolled (`user.totp_enrolled`). One query per
    request instead of three."""

    def get_user(self, user_id):
        user = _load_user(router.db_for_read(User), user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.role_expires_at is not None and user.role_expired():
            # The grant's time is up: no role from this moment, before housekeeping revokes it.
            user.role, user.city_code = "", ""
        return user


def _load_user(alias: str, user_id):
    """The user with the pk `user_id` as the ORM's `select_related("membership")` plus an
    `Exists` annotation would load them, or None.

    Hand-written SQL because building that query through the ORM costs 1.4 to 2 ms of CPU per
    request on the 2-core target machine, against about 0.2 ms for this (measured, issue 10)."""
    query = _user_query(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [True, User._meta.pk.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, functions, column in query.converters:
        value = values[index]
        for convert in functions:
            value = convert(value, column, connection)
        values[index] = value
    split = len(query.user_fields)
    user = User.from_db(alias, query.user_fields, values[:split])
    user.totp_enrolled = bool(values[-1])
    membership = None
    if values[query.membership_pk] is not None:  # the LEFT JOIN found one
        membership = query.relation.related_model.from_db(alias, query.membership_fields, values[split:-1])
        query.relation.field.set_cached_value(membership, user)
    query.relation.set_cached_value(user, membership)  # None: `user.membership` raises DoesNotExist
    return user


@dataclass(frozen=True)
class _UserQuery:
    sql: str  # params: True, the user's pk
    converters: list  # (column index, converter functions, column), as the ORM's compiler collects them
    user_fields: list  # attnames: the row is the user's columns, the membership's, then the EXISTS
    membership_fields: list
    membership_pk: int  # index of the membership's pk column: None when there is no membership
    relation: object  # User → OrgMembership (OneToOneRel)


@cache
def _user_query(alias: str) -> _UserQuery:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    connection = connections[alias]
    quote = connection.ops.quote_name
    relation = User._meta.get_field("membership")
    membership, device = relation.related_model._meta, TOTPDevice._meta
    columns = [field.get_col("u") for field in User._meta.concrete_fields]
    columns += [field.get_col("m") for field in membership.concrete_fields]
    sql = (
        "SELECT {columns}, EXISTS(SELECT 1 FROM {devices} d WHERE d.{device_user} = u.{pk} AND d.{confirmed} = %s)"
        " FROM {users} u LEFT OUTER JOIN {memberships} m ON m.{member} = u.{pk} WHERE u.{pk} = %s"
    ).format(
        columns=", ".join(f"{col.alias}.{quote(col.target.column)}" for col in columns),
        devices=quote(device.db_table),
        device_user=quote(device.get_field("user").column),
        confirmed=quote(device.get_field("confirmed").column),
        users=quote(User._meta.db_table),
        pk=quote(User._meta.pk.column),
        memberships=quote(membership.db_table),
        member=quote(relation.field.column),
    )
    converters = []
    for index, column in enumerate(columns):
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((index, functions, column))
    user_fields = [field.attname for field in User._meta.concrete_fields]
    membership_fields = [field.attname for field in membership.concrete_fields]
    return _UserQuery(sql, converters, user_fields, membership_fields,
                      len(user_fields) + membership_fields.index(membership.pk.attname), relation)
