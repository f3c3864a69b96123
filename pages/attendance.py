"""People sign in to a workshop, assembly, training or forum meeting."""
from ui.formview import render_form
from ui.session import config, require_role

user = require_role("volunteer", "coordinator")
render_form(config().forms["attendance"], user)
