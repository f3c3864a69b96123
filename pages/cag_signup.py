"""Volunteers sign a local group up to its Collaborative Action Group."""
from ui.formview import render_form
from ui.session import config, require_page

user = require_page(__file__)
render_form(config().forms["cag_signup"], user)
