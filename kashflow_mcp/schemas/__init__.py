"""The models the assistant sees: tool arguments and results, in snake_case.

This package imports nothing else of ours and does no I/O; the tools map between these and
KashFlow's wire models.
"""
