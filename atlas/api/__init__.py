"""The read-only JSON API of the Atlas (Django REST framework), its OpenAPI 3 schema and its docs."""
