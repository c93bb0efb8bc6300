"""The mechanics every area's tools share: paging, confirmation, updates, reconciling lost
writes, side-by-side reads, reference data, addresses, conversions and rendering.

An area's modules import these; no area imports another.
"""
