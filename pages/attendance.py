"""People sign in to a workshop, assembly, training or forum meeting."""
from ui.formview import render_form
from ui.session import config, require_page

user = require_page(__file__)
render_form(config().forms["attendance"], user)
