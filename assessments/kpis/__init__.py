"""Shared key performance indicators of a partnership: definitions, values per period with
their history, status against target, the administrators' library of suggested KPIs, and
import/export (issue 14).
"""
