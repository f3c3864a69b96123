"""Volunteers sign a local group up to its Collaborative Action Group."""
from ui.formview import render_form
from ui.session import config, require_role

user = require_role("volunteer", "coordinator")
render_form(config().forms["cag_signup"], user)
