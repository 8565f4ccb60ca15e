"""Analysis: a scenario (sites, missiles, targets, model) becomes one assessment.

Imports :mod:`geo.catalog` and :mod:`geo.core`; every output reads what is computed here.
"""
