"""The Team tab: an e-mail's role, the newest change winning, and messy rows
reported with their sheet row."""
from organising.access.team import describe_change, read_team
from organising.config import ROLES
from organising.data_quality import all_problems
from organising.sheets import Tab

HEADER = ["email", "name", "role", "active", "submission_id", "submitted_at", "submitted_by"]


def team_of(app_config, rows, coordinators=()):
    problems = []
    tab = Tab("Team", HEADER, [row + [""] * (len(HEADER) - len(row)) for row in rows])
    return read_team({"Team": tab}, app_config.forms["team"], ROLES, problems, coordinators), problems


def test_each_email_has_the_role_of_its_newest_row_and_others_the_default(app_config):
    team, problems = team_of(app_config, [
        ["cora@alliance.org", "Cora", "coordinator", "yes", "a1", "2026-01-01T10:00:00Z", "Bootstrap <b@x.org>"],
        ["tom@alliance.org", "Tom", "volunteer", "yes", "a2", "2026-01-02T10:00:00Z"],
        ["TOM@Alliance.org ", "Tom", "trustee", "yes", "a3", "2026-01-03T10:00:00Z"],   # a change of role
        ["ex@alliance.org", "Ex", "coordinator", "yes", "a4", "2026-01-04T10:00:00Z"],
        ["ex@alliance.org", "Ex", "coordinator", "no", "a5", "2026-01-05T10:00:00Z"],    # taken away
    ])
    assert not problems
    assert team.role_of("Cora@alliance.org", "volunteer") == "coordinator"
    assert team.role_of("tom@alliance.org", "volunteer") == "trustee"
    assert team.role_of("ex@alliance.org", "volunteer") == "volunteer"
    assert team.role_of("stranger@gmail.com", "volunteer") == "volunteer"
    assert team.role_of("stranger@gmail.com", "") == ""
    assert [m.email for m in team.members()] == ["cora@alliance.org", "tom@alliance.org"]
    assert team.current["cora@alliance.org"].changed_by == "Bootstrap <b@x.org>"


def test_a_team_kept_by_hand_works_and_a_blank_active_is_active(app_config):
    team, problems = team_of(app_config, [["ann@alliance.org", "Ann", "Trustee"], [], ["bo@alliance.org", "Bo", "COORDINATOR", "y"]])
    assert not problems
    assert team.role_of("ann@alliance.org", "") == "trustee" and team.role_of("bo@alliance.org", "") == "coordinator"


def test_an_email_typed_twice_with_different_roles_is_a_conflict_naming_both_rows(app_config):
    team, problems = team_of(app_config, [
        ["ann@alliance.org", "Ann", "trustee", "yes"],
        ["bo@alliance.org", "Bo", "volunteer", "yes"],
        ["Ann@alliance.org", "Ann", "coordinator", "yes"],
    ])
    # Never the higher of the two: the default role until someone fixes it.
    assert team.role_of("ann@alliance.org", "volunteer") == "volunteer"
    assert [(p.tab, p.row, p.column) for p in problems] == [("Team", 2, "email"), ("Team", 4, "email")]
    assert "row 2 (trustee) and row 4 (coordinator)" in problems[0].reason
    assert "ann@alliance.org" in str(team.conflicts["ann@alliance.org"])


def test_the_same_role_twice_or_an_inactive_duplicate_is_no_conflict(app_config):
    team, problems = team_of(app_config, [
        ["ann@alliance.org", "Ann", "trustee", "yes"], ["ann@alliance.org", "Ann B", "trustee", "yes"],
        ["bo@alliance.org", "Bo", "coordinator", "yes"], ["bo@alliance.org", "Bo", "trustee", "no"],
    ])
    assert not problems
    assert team.role_of("ann@alliance.org", "") == "trustee"
    assert team.role_of("bo@alliance.org", "") == ""  # the newest row takes the role away


def test_a_change_made_on_the_team_page_settles_a_conflict(app_config):
    team, problems = team_of(app_config, [
        ["ann@alliance.org", "Ann", "trustee", "yes"], ["ann@alliance.org", "Ann", "coordinator", "yes"],
        ["ann@alliance.org", "Ann", "trustee", "yes", "t1", "2026-02-01T09:00:00Z", "Cora <cora@alliance.org>"],
    ])
    assert not problems and team.role_of("ann@alliance.org", "") == "trustee"


def test_unknown_roles_bad_addresses_and_unreadable_active_are_reported_and_give_nothing(app_config):
    team, problems = team_of(app_config, [
        ["ann@alliance.org", "Ann", "admin", "yes"],
        ["not an address", "Bo", "coordinator", "yes"],
        ["cy@alliance.org", "Cy", "coordinator", "maybe"],
        ["", "Di", "trustee", "yes"],
    ])
    found = {(p.row, p.column): p.reason for p in problems}
    assert set(found) == {(2, "role"), (3, "email"), (4, "active"), (5, "email")}
    assert "'admin' is not one of" in found[(2, "role")]
    assert "is not an e-mail address" in found[(3, "email")]
    assert all(team.role_of(e, "") == "" for e in ("ann@alliance.org", "cy@alliance.org"))


def test_a_role_on_the_form_that_the_app_does_not_have_is_reported(app_config):
    from dataclasses import replace

    from organising.forms.spec import Choice
    form = app_config.forms["team"]
    role = form.field("role")
    widened = replace(form, fields=tuple(replace(f, choices=f.choices + (Choice("funder", "Funder"),))
                                         if f is role else f for f in form.fields))
    problems = []
    team = read_team({"Team": Tab("Team", HEADER, [["fa@x.org", "Fa", "funder", "yes"]])}, widened, ROLES, problems)
    assert problems[0].reason.startswith("'funder' is not a role the app has")
    assert team.role_of("fa@x.org", "volunteer") == "volunteer"


def test_coordinators_named_in_the_secrets_are_coordinators_whatever_the_tab_says(app_config):
    team, _ = team_of(app_config, [["boss@alliance.org", "Boss", "volunteer", "no"]], ["Boss@Alliance.org"])
    assert team.role_of("boss@alliance.org", "") == "coordinator"


def test_data_quality_lists_the_team_tabs_problems(app_config, today):
    tab = Tab("Team", HEADER, [["ann@alliance.org", "Ann", "admin", "yes"]])
    [problem] = [p for p in all_problems(app_config, {"Team": tab}, today) if p.tab == "Team"]
    assert (problem.row, problem.column, problem.left_out_of) == (2, "role", ("Sign-in roles (Team)",))


def test_a_change_is_described_for_the_audit_log(app_config):
    team, _ = team_of(app_config, [["tom@alliance.org", "Tom", "volunteer", "yes"]])
    before = team.current["tom@alliance.org"]
    assert describe_change(None, "new@x.org", "trustee", True) == "new@x.org: added as trustee"
    assert describe_change(before, "tom@alliance.org", "trustee", True) == "tom@alliance.org: volunteer → trustee"
    assert describe_change(before, "tom@alliance.org", "volunteer", False) == "tom@alliance.org: removed (was volunteer)"
