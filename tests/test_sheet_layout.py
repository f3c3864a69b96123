"""Tabs and headers the forms expect, against what a sheet has."""
from organising.forms.sheet_layout import compare_layout


def test_an_empty_sheet_lacks_every_forms_tab(app_config):
    layout = compare_layout(app_config.forms.values(), {"Sheet1": []})
    assert {t.tab for t in layout.tabs} == {f.tab for f in app_config.forms.values()}
    assert not any(t.exists for t in layout.tabs) and not layout.complete
    assert layout.other_tabs == ("Sheet1",)


def test_columns_found_by_alias_case_or_spacing_are_not_missing_and_a_persons_columns_are_extra(app_config):
    events = app_config.form_for_tab("Events")
    header = ["Event Type", "  TITLE", "Date", "My notes", "", *events.columns[3:]]
    layout = compare_layout([events], {"Events": header})
    [tab] = layout.tabs
    assert tab.exists and tab.missing == () and tab.complete and layout.complete
    assert tab.extra == ("My notes",)  # kept as it is; a blank header cell is not a column
    assert tab.forms == ("Add an event",)


def test_missing_columns_are_listed_in_the_forms_order(app_config):
    events = app_config.form_for_tab("Events")
    [tab] = compare_layout([events], {"Events": ["title", "submission_id"]}).tabs
    assert tab.missing == tuple(c for c in events.columns if c not in ("title", "submission_id"))
    assert not tab.complete


def test_a_tab_named_in_another_case_is_the_forms_tab_as_google_sheets_treats_it(app_config):
    events = app_config.form_for_tab("Events")
    layout = compare_layout([events], {"events": list(events.columns)})
    [tab] = layout.tabs
    assert tab.exists and tab.complete and layout.complete
    assert layout.other_tabs == ()
