"""Which pages each role sees: used by the router for the menu and by Home
for its links (on a phone the menu starts folded away)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    path: str
    title: str
    icon: str


HOME = PageInfo("pages/sign_in.py", "Home", ":material/home:")
RECORD = [
    PageInfo("pages/listening.py", "Record a 1:1", ":material/record_voice_over:"),
    PageInfo("pages/attendance.py", "Sign in to an event", ":material/how_to_reg:"),
    PageInfo("pages/cag_signup.py", "Join a CAG", ":material/diversity_3:"),
]
COORDINATE = [
    PageInfo("pages/dashboard.py", "Dashboard", ":material/monitoring:"),
    PageInfo("pages/events.py", "Events", ":material/event:"),
    PageInfo("pages/records.py", "Records", ":material/table_view:"),
    PageInfo("pages/data_quality.py", "Data quality", ":material/rule:"),
    PageInfo("pages/connect_sheet.py", "Connect your sheet", ":material/add_link:"),
]
REPORT = [PageInfo("pages/funder_report.py", "Funder report", ":material/summarize:")]

# Sections of the menu per role (None: nobody signed in).
MENU: dict[str | None, dict[str, list[PageInfo]]] = {
    None: {},
    "volunteer": {"Record": RECORD},
    "coordinator": {"Coordinate": COORDINATE, "Record": RECORD, "Report": REPORT},
    "trustee": {"Report": REPORT},
}
