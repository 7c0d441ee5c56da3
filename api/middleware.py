"""Conditional GET for the API only: every successful GET answer carries an ETag (a hash of its
body) and Last-Modified where the view set one, and a client that sends If-None-Match gets 304.
(Django's ConditionalGetMiddleware, limited to ``/api/``: the portal's pages are personal.)"""

from django.middleware.http import ConditionalGetMiddleware


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
