"""Review of session 11 (issue 22, commit 28c346f): with prepared statements, a migration run by
another process must not break a running process's queries.

docs/deploy.md § Upgrade runs `duixian migrate` while the old gunicorn workers (and, with several
app servers, the other servers for the whole upgrade) keep serving. A migration that changes a
column's type or length (an AlterField widening a CharField) changes the result type of every
prepared query that selects the column: PostgreSQL then refuses that prepared statement with
"cached plan must not change result type", and psycopg keeps using it, so outside a transaction the
query fails on that connection again and again until the connection is closed (CONN_MAX_AGE).
Before prepared statements the same migration was invisible to the running processes.
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest
from django.db import NotSupportedError, connection, transaction

from duixian.accounts.models import User
from duixian.applications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)  # autocommit, as a request outside atomic()


def _other_process():
    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
    return psycopg.connect(**params, autocommit=True)


@contextmanager
def _title_widened_meanwhile(username: str):
    """A notification read six times on this connection (the fifth run prepares the query), then
    its title widened 200 -> 300 by another process (`duixian migrate` of the next release);
    yields the notification; afterwards the column is as it was."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    table = connection.ops.quote_name(Notification._meta.db_table)
    column = connection.ops.quote_name(Notification._meta.get_field("title").column)
    note = Notification.objects.create(user=User.objects.create(username=username), event="review.s11", title="标题")
    for _ in range(6):
        assert list(Notification.objects.filter(pk=note.pk))[0].title == "标题"
    with _other_process() as other:
        other.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(300)")
    try:
        yield note
    finally:
        connection.close()  # drop this connection's prepared statements before putting the column back
        with _other_process() as other:
            other.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(200)")


def test_a_widened_column_from_another_process_leaves_running_queries_working():
    with _title_widened_meanwhile("review-s11") as note:
        for _ in range(3):  # each a request of the old workers, before and after the reload
            assert list(Notification.objects.filter(pk=note.pk))[0].title == "标题"


def test_inside_a_transaction_the_changed_plan_fails_once_and_the_next_request_works():
    with _title_widened_meanwhile("review-s11-atomic") as note:
        # a transaction that already failed cannot run the query again: it is rolled back
        with pytest.raises(NotSupportedError), transaction.atomic():
            list(Notification.objects.filter(pk=note.pk))
        for _ in range(3):  # the rollback dropped the plans: the next requests are served
            with transaction.atomic():
                assert list(Notification.objects.filter(pk=note.pk))[0].title == "标题"
