"""Bench-only instrumentation: counts the SQL queries of each request.

Installed only when KYODO_BENCH=1 (see settings), so production never pays for it. The count goes back in
the `X-Kyodo-Queries` response header, which the load client reads to report queries per request.
"""

from django.db import connections

HEADER = "X-Kyodo-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = [0]

        def count(execute, sql, params, many, context):
            counter[0] += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(count) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[HEADER] = str(counter[0])
        return response
