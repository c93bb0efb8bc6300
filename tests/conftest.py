from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep default files (sandbox books, audit log, accounts) away from the user's own."""
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    # Nor may the user's own accounts file (accounts.toml in the config directory) be read.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data
