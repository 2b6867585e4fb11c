"""Row counts and content checksums of every table, to prove a restore (or a seed) is identical."""

import hashlib

from django.db import connection


def table_fingerprints(conn=None, tables=None):
    """{table: (row count, sha256 of every row in primary-key order)} for the given or all tables."""
    conn = conn or connection
    result = {}
    with conn.cursor() as cursor:
        names = sorted(tables or conn.introspection.table_names(cursor))
        for table in names:
            pk = conn.introspection.get_primary_key_column(cursor, table)
            columns = [c.name for c in conn.introspection.get_table_description(cursor, table)]
            order = conn.ops.quote_name(pk) if pk else ", ".join(conn.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)} ORDER BY {order}")  # noqa: S608  only table and column names from the database's own introspection, quoted
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(5000):
                for row in rows:
                    digest.update(repr(tuple(_plain(v) for v in row)).encode())
                count += len(rows)
            result[table] = (count, digest.hexdigest())
    return result


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value
