"""Exports of Atlas searches (CSV, XLSX, GeoJSON, PDF), the open-data page and the read-only JSON API.

Every export reads the query string of the Atlas advanced search through `ProjectFilterSet`, so a result
list, its map, its downloads and the API always agree."""
