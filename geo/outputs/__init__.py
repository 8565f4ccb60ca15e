"""Outputs: text, tables, web maps, print figures, GIS exports and reports.

Each renders an assessment (:mod:`geo.analysis`); none computes a distance or a verdict.
"""
