"""Returned evaluation forms: read, checked, brought into the cohort (`gen collect`)."""
