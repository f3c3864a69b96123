"""Tools around the store: demo data, .xlsx import, and the docs/SHEETS.md generator."""
