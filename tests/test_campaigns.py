import datetime as dt

from organising.cycle.campaigns import campaign_table, power_table, read_campaigns, read_power_holders
from organising.sheets import Tab

CAMPAIGNS = Tab("Campaigns", ["title", "issue", "specific", "measurable", "achievable", "relevant", "Deadline",
                              "team", "approved_at", "status", "submission_id"], [
    ["Light the redway", "transport_and_cycling", "42 lamps lit", "a night walk", "budget line", "1:1s",
     "31/3/2027", "Ann, Bo", "Delegates Assembly (2026-02-10)", "Active", "c1"],
    ["Repairs in 28 days", "Housing", "28 days", "", "", "", "end of next year", "", "", "WON", ""],  # by hand
    ["", "housing", "", "", "", "", "", "", "", "", "c3"],
])
HOLDERS = Tab("Power-holders", ["name", "role", "organisation", "campaign", "campaign_id", "relationship",
                                "Meetings", "submission_id"], [
    ["Cllr Marsh", "Cabinet member", "Council", "Light the redway", "c1", "Ally", "3", "p1"],
    ["Ms Blake", "Chief executive", "Homes", "repairs in 28  days", "", "met", "two", "p2"],  # linked by name
    ["Mr Nobody", "Officer", "Council", "A campaign we dropped", "", "", "", "p3"],
])


def test_campaigns_keep_their_smart_goal_and_report_messy_cells(app_config):
    problems = []
    campaigns = read_campaigns({"Campaigns": CAMPAIGNS}, app_config.forms["campaigns"], problems)
    redway, repairs = campaigns
    assert redway.deadline == dt.date(2027, 3, 31) and redway.status == "active" and not redway.missing
    assert repairs.id == "row 3" and repairs.status == "won" and repairs.issue == "housing"
    assert repairs.missing == ["measurable", "achievable", "relevant"] and repairs.deadline is None
    reported = {(p.row, p.column): p.reason for p in problems}
    assert "'end of next year' is not a date" in reported[(3, "time_bound")]
    assert reported[(4, "title")] == "the campaign has no name"


def test_power_holders_link_to_campaigns_by_id_or_by_name(app_config):
    problems = []
    forms = app_config.forms
    campaigns = read_campaigns({"Campaigns": CAMPAIGNS}, forms["campaigns"], [])
    holders = read_power_holders({"Power-holders": HOLDERS}, forms["power_holders"], campaigns, problems)
    assert [h.campaign_id for h in holders] == ["c1", "row 3", ""]
    assert holders[0].relationship == "ally" and holders[0].meetings == 3 and holders[1].meetings is None
    reported = {(p.row, p.column): p.reason for p in problems}
    assert reported[(4, "campaign")] == "matches no campaign on its tab"
    assert reported[(3, "meetings_held")] == "'two' is not a number"
    table = campaign_table(campaigns, holders, dt.date(2027, 3, 1)).set_index("Campaign")
    assert table.loc["Light the redway", "Days left"] == 30
    assert table.loc["Light the redway", "Power-holders"] == "Cllr Marsh"
    assert table.loc["Repairs in 28 days", "SMART parts missing"] == "measurable, achievable, relevant"
    assert power_table(holders, campaigns)["Campaign"].tolist() == ["(no campaign)", "Light the redway",
                                                                    "Repairs in 28 days"]
