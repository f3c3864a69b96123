"""Which pages each role sees: used by the router for the menu and by Home
for its links (on a phone the menu starts folded away). Titles and section
names are English, marked for the catalogues (locales/) and translated
where they are shown."""
from __future__ import annotations

from dataclasses import dataclass

from organising.i18n import N_


@dataclass(frozen=True)
class PageInfo:
    path: str
    title: str
    icon: str


HOME = PageInfo("pages/sign_in.py", N_("Home"), ":material/home:")
RECORD = [
    PageInfo("pages/listening.py", N_("Record a 1:1"), ":material/record_voice_over:"),
    PageInfo("pages/attendance.py", N_("Sign in to an event"), ":material/how_to_reg:"),
    PageInfo("pages/cag_signup.py", N_("Join a CAG"), ":material/diversity_3:"),
]
COORDINATE = [
    PageInfo("pages/dashboard.py", N_("Dashboard"), ":material/monitoring:"),
    PageInfo("pages/events.py", N_("Events"), ":material/event:"),
    PageInfo("pages/records.py", N_("Records"), ":material/table_view:"),
    PageInfo("pages/data_quality.py", N_("Data quality"), ":material/rule:"),
    PageInfo("pages/connect_sheet.py", N_("Connect your sheet"), ":material/add_link:"),
    PageInfo("pages/workflows.py", N_("Workflows"), ":material/account_tree:"),
    PageInfo("pages/privacy.py", N_("Privacy"), ":material/shield_person:"),
]
REPORT = [PageInfo("pages/funder_report.py", N_("Funder report"), ":material/summarize:")]

# From listening to pledges.
CAMPAIGN = [
    PageInfo("pages/institutions.py", N_("Member institutions"), ":material/account_balance:"),
    PageInfo("pages/priorities.py", N_("Priorities"), ":material/format_list_numbered:"),
    PageInfo("pages/campaigns.py", N_("Campaigns"), ":material/campaign:"),
    PageInfo("pages/power_analysis.py", N_("Power analysis"), ":material/hub:"),
    PageInfo("pages/pledges.py", N_("Pledge tracker"), ":material/assignment_turned_in:"),
]
# Safe to show at an assembly, so every role sees it.
SCORECARD = [PageInfo("pages/scorecard.py", N_("Pledge scorecard"), ":material/scoreboard:")]
# Evaluate actions, run the CAG forums, develop leaders.
DEVELOP = [
    PageInfo("pages/evaluation.py", N_("Evaluate an action"), ":material/rate_review:"),
    PageInfo("pages/forums.py", N_("CAG forums"), ":material/forum:"),
    PageInfo("pages/forum_issues.py", N_("Forum key issues"), ":material/topic:"),
    PageInfo("pages/leaders.py", N_("Leader pipeline"), ":material/trending_up:"),
    PageInfo("pages/leader_role.py", N_("Record a leader's role"), ":material/military_tech:"),
]

# Sections of the menu per role (None: nobody signed in).
MENU: dict[str | None, dict[str, list[PageInfo]]] = {
    None: {},
    "volunteer": {N_("Record"): RECORD, N_("Pledges"): SCORECARD},
    "coordinator": {N_("Coordinate"): COORDINATE, N_("Record"): RECORD, N_("Campaign"): CAMPAIGN + SCORECARD,
                    N_("Evaluate and develop"): DEVELOP, N_("Report"): REPORT},
    "trustee": {N_("Report"): REPORT, N_("Pledges"): SCORECARD},
}
