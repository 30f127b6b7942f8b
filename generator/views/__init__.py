"""Views of a checked cohort for people: the dashboard page and the deadlines calendar."""
