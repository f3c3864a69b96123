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
    PageInfo("pages/workflows.py", "Workflows", ":material/account_tree:"),
]
REPORT = [PageInfo("pages/funder_report.py", "Funder report", ":material/summarize:")]

# From listening to pledges.
CAMPAIGN = [
    PageInfo("pages/institutions.py", "Member institutions", ":material/account_balance:"),
    PageInfo("pages/priorities.py", "Priorities", ":material/format_list_numbered:"),
    PageInfo("pages/campaigns.py", "Campaigns", ":material/campaign:"),
    PageInfo("pages/power_analysis.py", "Power analysis", ":material/hub:"),
    PageInfo("pages/pledges.py", "Pledge tracker", ":material/assignment_turned_in:"),
]
# Safe to show at an assembly, so every role sees it.
SCORECARD = [PageInfo("pages/scorecard.py", "Pledge scorecard", ":material/scoreboard:")]
# Evaluate actions, run the CAG forums, develop leaders.
DEVELOP = [
    PageInfo("pages/evaluation.py", "Evaluate an action", ":material/rate_review:"),
    PageInfo("pages/forums.py", "CAG forums", ":material/forum:"),
    PageInfo("pages/forum_issues.py", "Forum key issues", ":material/topic:"),
    PageInfo("pages/leaders.py", "Leader pipeline", ":material/trending_up:"),
    PageInfo("pages/leader_role.py", "Record a leader's role", ":material/military_tech:"),
]

# Sections of the menu per role (None: nobody signed in).
MENU: dict[str | None, dict[str, list[PageInfo]]] = {
    None: {},
    "volunteer": {"Record": RECORD, "Pledges": SCORECARD},
    "coordinator": {"Coordinate": COORDINATE, "Record": RECORD, "Campaign": CAMPAIGN + SCORECARD,
                    "Evaluate and develop": DEVELOP, "Report": REPORT},
    "trustee": {"Report": REPORT, "Pledges": SCORECARD},
}
