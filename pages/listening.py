"""Volunteers record a one-to-one listening conversation."""
from ui.formview import render_form
from ui.session import config, require_page

user = require_page(__file__)
render_form(config().forms["listening"], user)
