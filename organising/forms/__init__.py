"""Forms as data: the spec loaded from config/forms/, the expression language, a submission's row, and the
sheet layout the forms expect."""
