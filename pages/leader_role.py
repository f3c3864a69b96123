"""Coordinators note a role a leader took: testimony, chairing, leading a team."""
from ui.formview import render_form
from ui.session import config, require_page

user = require_page(__file__)
render_form(config().forms["leader_role"], user)
