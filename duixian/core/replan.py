"""A query prepared before another process changed its table's columns runs again (issue 22).

With prepared statements (settings: PostgreSQL, DB_PREPARED_STATEMENTS) a connection keeps the
plans of the queries it repeats. When an upgrade's `duixian migrate` changes a column those
queries return (an AlterField widening a text), PostgreSQL refuses every such plan with "cached
plan must not change result type", and psycopg keeps the refused statement: the old web
processes, which serve on until they are reloaded (and the other app servers during a rolling
upgrade), would fail that page again and again until their connection closed. Outside a
transaction the plans are dropped and the query runs once more; inside one the transaction has
failed already and is rolled back, which drops psycopg's plans for the next request.
"""

from __future__ import annotations

from django.db import NotSupportedError

_CHANGED_PLAN = "cached plan must not change result type"


def run_again_after_changed_columns(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except NotSupportedError as exc:
        connection = context["connection"]
        if _CHANGED_PLAN not in str(exc) or connection.in_atomic_block:
            raise
        with connection.cursor() as cursor:  # psycopg sees it and forgets its own plans too
            cursor.execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)


def install(sender, connection, **_kwargs) -> None:
    """connection_created: every PostgreSQL connection, once (reconnects reuse the wrapper list)."""
    if connection.vendor == "postgresql" and run_again_after_changed_columns not in connection.execute_wrappers:
        connection.execute_wrappers.append(run_again_after_changed_columns)
