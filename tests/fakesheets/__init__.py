"""A fake Google Sheets v4 + Drive v3 API server for tests (127.0.0.1 only)."""
from .server import SERVICE_ACCOUNT_EMAIL, FakeSheets, LogEntry, gspread_client, service_account_info

__all__ = ["FakeSheets", "LogEntry", "SERVICE_ACCOUNT_EMAIL", "gspread_client", "service_account_info"]
