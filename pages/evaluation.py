"""Coordinators evaluate an action openly, right after it."""
from ui.formview import render_form
from ui.session import config, require_page

user = require_page(__file__)
render_form(config().forms["evaluation"], user)
