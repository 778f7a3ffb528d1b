"""`qlrules serve`: the scorer as an HTTP service, with the findings schema and a page for assessors.

`service` holds what the service does, framework-free (score uploads, describe a rubric, turn
a `QlrulesError` into JSON); `app` puts it behind Starlette (limits, token, language, access
log); `openapi` is the OpenAPI 3.1 document; `page` the assessors' page at ``/``.
"""
