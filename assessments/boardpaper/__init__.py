"""The board paper: a dated PDF evidence pack of a round (WeasyPrint), the record of each
pack produced, decisions on options, and "partnerships like yours" (issue 15).
"""
