"""Volunteers record a one-to-one listening conversation."""
from ui.formview import render_form
from ui.session import config, require_role

user = require_role("volunteer", "coordinator")
render_form(config().forms["listening"], user)
