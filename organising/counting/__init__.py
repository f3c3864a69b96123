"""Counting from the tabs: people, funder metrics and targets, rows of a form's tab, and tabs as tables."""
