"""The check every trustee-facing output passes: no resident's name, contact or story in it."""
from __future__ import annotations

from organising.config import load_config
from organising.counting import people
from organising.cycle.leaders import split_names
from organising.sheets import Store

# Per tab, the columns holding a person's name, contact or story: those the forms mark personal.
PERSONAL_COLUMNS = {form.tab: form.personal_columns for form in load_config().forms.values()}
# Cells listing several people, "Amina Adeyemi (St Aidan's), Ben Jones": each name is looked for too.
NAME_LISTS = {column for columns in people.NAME_LISTS.values() for column in columns}


def personal_values(store: Store) -> set[str]:
    """Every name, contact and story the store holds."""
    values = set()
    for name, tab in store.read_tabs(list(PERSONAL_COLUMNS)).items():
        for _, row in tab.records():
            for column in PERSONAL_COLUMNS[name]:
                cell = row.get(column, "")
                values |= {cell, *(person for person, _ in split_names(cell).value)} if column in NAME_LISTS else {cell}
    return values - {""}


def leaked(text: str, store: Store) -> list[str]:
    """The personal values found in `text` (there must be some to look for)."""
    people = personal_values(store)
    assert people, "the store holds no personal data to look for"
    return [p for p in people if p in text]


def add_a_phone_and_a_merge(store: Store) -> None:
    """The personal data the demo lacks: a sign-up's phone number and a person merge."""
    store.append_row("CAG sign-ups", {"organisation": "Tenants' Forum", "contact_name": "Grace Obi",
                                      "phone": "07700 900123"}, "privacy-cag")
    store.append_row("Person merges", {"keep_name": "Dorota Hussain", "merge_name": "Dorota Husain",
                                       "reason": "the same person, typed two ways"}, "privacy-merge")
