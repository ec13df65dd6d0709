"""Page-number pagination whose schema is valid OpenAPI 3.1.

DRF describes ``next`` and ``previous`` with OpenAPI 3.0's ``nullable``, which 3.1 (plain JSON Schema)
no longer knows: a client validating a last page (``"next": null``) against it would fail.
"""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        for name in ("next", "previous"):
            link = described["properties"][name]
            if link.pop("nullable", False):
                link["type"] = [link["type"], "null"]
        return described
