"""Which role sees which page: MENU is the one table. The router builds each
role's menu from it, Home lists its links, and every page's guard
(ui.session.require_page) lets in exactly the roles whose menu holds it.
Titles and section names are English, marked for the catalogues (locales/)
and translated where they are shown."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from organising.i18n import N_

REPO = Path(__file__).resolve().parent.parent
# Not a role but a mode: a tablet at an event signing people in (pages/kiosk.py).
KIOSK = "kiosk"


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
    PageInfo("pages/kiosk_links.py", N_("Kiosk for an event"), ":material/qr_code_2:"),
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
# Who signs in with which role, and what sign-in has done.
TEAM = [
    PageInfo("pages/team.py", N_("Team"), ":material/badge:"),
    PageInfo("pages/audit_log.py", N_("Audit log"), ":material/policy:"),
]
KIOSK_PAGE = PageInfo("pages/kiosk.py", N_("Sign in to this event"), ":material/how_to_reg:")

# Sections of the menu per role (None: nobody signed in). Every role but the
# kiosk also has Home.
MENU: dict[str | None, dict[str, list[PageInfo]]] = {
    None: {},
    "volunteer": {N_("Record"): RECORD, N_("Pledges"): SCORECARD},
    "coordinator": {N_("Coordinate"): COORDINATE, N_("Record"): RECORD, N_("Campaign"): CAMPAIGN + SCORECARD,
                    N_("Evaluate and develop"): DEVELOP, N_("Report"): REPORT, N_("Team"): TEAM},
    "trustee": {N_("Report"): REPORT, N_("Pledges"): SCORECARD},
    KIOSK: {"": [KIOSK_PAGE]},
}


def menu(role: str | None) -> dict[str, list[PageInfo]]:
    """The sections a role's menu shows, Home first (the kiosk has no Home)."""
    home = {} if role == KIOSK else {"": [HOME]}
    return {**home, **MENU[role]}


def page_of(script: str) -> PageInfo:
    """The page whose script this is (a page passes its __file__)."""
    path = Path(script).resolve().relative_to(REPO).as_posix()
    pages = [p for role in MENU for pages in menu(role).values() for p in pages]
    found = next((p for p in pages if p.path == path), None)
    if found is None:  # a new page must be given its roles here before anyone can open it
        raise LookupError(f"{path} is in no role's menu: add it to MENU in ui/navigation.py")
    return found


def roles_for(page: PageInfo) -> set[str | None]:
    """Every role whose menu holds the page (None: someone not signed in)."""
    return {role for role in MENU if any(page in pages for pages in menu(role).values())}
