import datetime as dt

from organising.cycle.priorities import ideas, latest_scores, read_mentions, rollup, shortlist, stories, with_scores
from organising.sheets import Tab

DEPTHS = ["slight", "moderate", "serious", "severe"]
ONE_TO_ONES = Tab("1:1s", ["Date", "participant_name", "participant_area", "Issues", "issue_categories_other",
                           "what_they_said", "ideas", "People affected", "impact_depth", "submission_id"], [
    ["8/10/2025", "Ann Adeyemi", "fishermead", "Housing, Health", "", "Damp in the flat", "Repairs surgery",
     "40", "Serious", "a"],
    ["9 Oct 2025", "", "Fishermead", "housing", "", "Mould again", "Repairs surgery", "approx 10", "severe", "b"],
    ["2025-10-10", "", "bletchley", "HOUSING", "", "Rent too high", "", "lots", "very bad", "c"],  # two messy cells
    ["", "", "", "", "", "", "", "", "", ""],                                                        # a blank row
    ["2025-10-11", "", "olney", "other", "Dog fouling", "Parks are dirty", "Bins", "", "", "d"],
    ["2025-10-12", "", "olney", "parking", "", "No spaces", "", "", "", "e"],  # Other, typed in its place
    ["2025-10-13", "", "olney", "Housng", "", "Leaks", "", "", "", "f"],       # Other too, but listed: a typo?
    ["2025-10-14", "", "olney", "", "", "Nothing much", "", "", "", "g"],      # no issue: left out, listed
])


def mentions(forms, problems=None):
    return read_mentions({"1:1s": ONE_TO_ONES}, forms["listening"], [] if problems is None else problems)


def test_issues_roll_up_by_category_with_people_affected_depth_and_ideas(app_config):
    table = rollup(mentions(app_config.forms), DEPTHS).set_index("issue")
    housing = table.loc["housing"]
    assert housing["1:1s"] == 3
    assert (housing["People affected (sum)"], housing["People affected (median)"]) == (50, 25)
    assert housing[DEPTHS].tolist() == [0, 0, 1, 1] and housing["Ideas"] == 2
    assert table.loc["health", "1:1s"] == 1 and table.loc["other: Dog fouling", "1:1s"] == 1
    assert table.index[0] == "housing"  # most raised first


def test_by_area_splits_each_issue_by_where_people_live(app_config):
    table = rollup(mentions(app_config.forms), DEPTHS, by_area=True)
    housing = table[table["issue"] == "housing"].set_index("area")["1:1s"].to_dict()
    assert housing == {"fishermead": 2, "bletchley": 1}


def test_messy_cells_are_reported_with_their_sheet_row_and_the_rest_is_kept(app_config):
    problems = []
    found = mentions(app_config.forms, problems)
    assert len(found) == 6  # the 1:1 naming no issue is left out; the blank row is skipped
    assert [m.issues for m in found[-2:]] == [("other: parking",), ("other: Housng",)]
    reported = {(p.row, p.column): (p.reason, p.left_out) for p in problems}
    assert reported[(4, "people_affected")] == ("'lots' is not a number", False)
    assert "'very bad' is not one of" in reported[(4, "impact_depth")][0]
    assert reported[(8, "issue_categories")] == ("'Housng' is read as Other: did you mean Housing?", False)
    assert reported[(9, "issue_categories")] == ("the issue categories is blank", True)
    assert (7, "issue_categories") not in reported


def test_ideas_and_stories_carry_no_names(app_config):
    found = mentions(app_config.forms)
    assert ideas(found, "housing").values.tolist() == [["Repairs surgery", 2]]
    told = stories(found, "housing", "fishermead")
    assert told["What they said"].tolist() == ["Mould again", "Damp in the flat"]  # newest first
    assert told["Date"].tolist() == [dt.date(2025, 10, 9), dt.date(2025, 10, 8)]
    assert "Ann Adeyemi" not in told.to_csv()


SCORES = Tab("Issue scores", ["issue", "area", "lives_affected", "depth", "winnability", "shortlisted",
                              "submission_id"], [
    ["housing", "", "3", "4", "2", "no", "s1"],
    ["Housing", "", "4", "5", "3", "Yes", "s2"],          # the newest score for housing wins
    ["housing", "", "9", "5", "3", "yes", "s3"],          # out of range: reported, never replaces s2
    ["health", "Fishermead", "2", "", "3", "no", "s4"],   # blank score: reported
    ["health", "", "2", "2", "2", "y", "s5"],
])


def test_the_newest_readable_score_per_issue_wins(app_config):
    problems = []
    scores = latest_scores({"Issue scores": SCORES}, app_config.forms["issue_scores"], problems)
    assert set(scores) == {("housing", ""), ("health", "")}
    assert (scores[("housing", "")].total, scores[("housing", "")].row) == (12, 3)
    reported = {(p.row, p.column): p.reason for p in problems}
    assert reported == {(4, "lives_affected"): "'9' is not a score from 1 to 5", (5, "depth"): "the depth is blank"}


def test_scored_issues_rank_first_and_the_shortlist_keeps_shortlisted_ones(app_config):
    found = mentions(app_config.forms)
    scores = latest_scores({"Issue scores": SCORES}, app_config.forms["issue_scores"], [])
    ranked = with_scores(rollup(found, DEPTHS), scores)
    assert ranked["issue"].tolist()[:2] == ["housing", "health"] and ranked["Score"].tolist()[:2] == [12, 6]
    assert shortlist(found, DEPTHS, scores)["issue"].tolist() == ["housing", "health"]
