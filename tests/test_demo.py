import datetime as dt


from organising.__main__ import main
from organising.tools.demo import ALLIANCE, DEMO_BY, DEMO_PREFIX, demo_rows, load_demo, programme_years
from organising.forms.spec import choices_from_tab, validate
from organising.sheets import Tab


def demo_tabs(forms, rows) -> dict[str, Tab]:
    """The demo rows as the tabs a store would hold."""
    return {form.tab: Tab(form.tab, form.columns, [[row.get(c, "") for c in form.columns]
                                                   for _, row in rows.get(form.tab, [])])
            for form in forms.values()}


def test_programme_years_end_with_the_one_holding_today():
    assert programme_years(dt.date(2026, 11, 22)) == [2024, 2025, 2026]
    assert programme_years(dt.date(2026, 8, 31)) == [2023, 2024, 2025]


def test_demo_is_the_same_for_the_same_day(app_config, today):
    assert demo_rows(app_config.forms, today) == demo_rows(app_config.forms, today)


def test_demo_alliance_is_realistic_and_labelled(app_config, today):
    rows = demo_rows(app_config.forms, today)
    one_to_ones = [row for _, row in rows["1:1s"]]
    assert 250 <= len(one_to_ones) <= 500
    assert {row["conversation_date"][:4] for row in one_to_ones} >= {"2024", "2025", "2026"}
    assert max(row["conversation_date"] for row in one_to_ones) <= today.isoformat()
    assert len({row["listener_institution"] for row in one_to_ones}) >= 5
    event_types = {row["event_type"] for _, row in rows["Events"]}
    assert {"issues_workshop", "delegates_assembly", "accountability_assembly", "one_day_training"} <= event_types
    assert len(rows["Attendance"]) > 300 and len(rows["CAG sign-ups"]) >= 20
    every = [(sid, row) for items in rows.values() for sid, row in items]
    assert all(sid.startswith(DEMO_PREFIX) and row["submitted_by"] == DEMO_BY for sid, row in every)


def test_demo_rows_pass_the_forms_own_validation(app_config, today):
    rows = demo_rows(app_config.forms, today)
    tabs = demo_tabs(app_config.forms, rows)
    for form in app_config.forms.values():
        # A select fed by another tab offers the demo rows its filter lets through.
        choices = {f.name: choices_from_tab(f.choices_from, tabs[f.choices_from.tab], today)
                   for f in form.fields if f.choices_from}
        for _, row in rows.get(form.tab, []):
            answers = dict(row)
            for f in form.fields:
                if f.type == "select_multiple":
                    answers[f.name] = [v for v in row[f.name].split(", ") if v]
            outcome = validate(form, answers, dynamic_choices=choices, today=today)
            assert outcome.ok, (form.id, outcome.errors)


def test_loading_twice_stores_nothing_new(sqlite_store, app_config, today):
    first = load_demo(sqlite_store, app_config.forms, today)
    assert first > 1000
    assert load_demo(sqlite_store, app_config.forms, today) == 0


def test_demo_command_loads_an_empty_store_and_refuses_a_full_one(sqlite_store, capsys):
    assert main(["demo"]) == 0
    assert ALLIANCE in capsys.readouterr().out
    loaded = len(sqlite_store.read_tabs(["1:1s"])["1:1s"].records())
    assert loaded > 250
    assert main(["demo"]) == 1
    assert "already holds data" in capsys.readouterr().err
    assert main(["demo", "--force"]) == 0  # same ids: nothing is duplicated
    assert len(sqlite_store.read_tabs(["1:1s"])["1:1s"].records()) == loaded


def test_a_broken_config_stops_the_command_with_its_message(tmp_path, monkeypatch, capsys):
    (tmp_path / "forms").mkdir()
    (tmp_path / "settings.yaml").write_text("store: carrier_pigeon\n", encoding="utf-8")
    monkeypatch.setenv("ORGANISING_CONFIG_DIR", str(tmp_path))
    assert main(["demo"]) == 2
    assert "store: 'carrier_pigeon' is not one of sqlite, google_sheets" in capsys.readouterr().err


def test_demo_covers_the_campaign_half_of_the_cycle(app_config, today):
    from organising.cycle.pledges import read_pledges
    rows = demo_rows(app_config.forms, today)
    tabs = demo_tabs(app_config.forms, rows)
    assert len(rows["Institutions"]) >= 5 and len(rows["Issue scores"]) >= 3
    assert len(rows["Campaigns"]) == 2 and all(row["approved_at"] for _, row in rows["Campaigns"])
    assert {row["campaign"] for _, row in rows["Power-holders"]} == {row["title"] for _, row in rows["Campaigns"]}
    problems = []
    pledges = read_pledges(tabs, app_config.forms, problems)
    assert not problems and all(p.event.startswith("Accountability Assembly") for p in pledges)
    states = {p.state(today) for p in pledges} | {p.status for p in pledges}
    assert {"kept", "overdue"} <= states
