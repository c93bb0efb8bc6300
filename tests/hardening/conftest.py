"""Hypothesis profiles for the hardening suite, and its per-test sandbox file.

The default profile is small and deterministic so the suite stays a fast, stable gate; set
``HYPOTHESIS_PROFILE=thorough`` for a long randomised run. Profiles are applied per test (never
loaded globally) so the rest of the test suite keeps its own hypothesis settings.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "hardening", max_examples=25, deadline=None, derandomize=True, suppress_health_check=_QUIET
)
settings.register_profile("thorough", max_examples=400, deadline=None, suppress_health_check=_QUIET)


def fuzz_settings() -> settings:
    """The profile named by ``HYPOTHESIS_PROFILE`` (default: "hardening")."""
    return settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "hardening"))


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return tmp_path / "books.db"
