"""The mechanics every area's tools share: paging, confirmation, updates, reconciling lost
writes, side-by-side reads, reference data, addresses, conversions and rendering.

An area module imports these; no area module imports another.
"""
