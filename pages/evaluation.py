"""Coordinators evaluate an action openly, right after it."""
from ui.formview import render_form
from ui.session import config, require_role

user = require_role("coordinator")
render_form(config().forms["evaluation"], user)
