"""The redactor finds our secrets however they were quoted, in text, data and log records."""

from __future__ import annotations

import json
import logging
from xml.sax.saxutils import escape

import pytest
from pydantic import SecretStr

from kashflow_mcp.config import Settings
from kashflow_mcp.server.redaction import MASK, RedactingFilter, Redactor

SECRET = "p\"a\\ss<wörd>'1"


def test_a_secret_is_found_as_json_repr_and_xml_would_quote_it() -> None:
    redact = Redactor([SECRET])
    for spelled in (
        SECRET,
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET, ensure_ascii=False)[1:-1],
        repr(SECRET)[1:-1],
        escape(SECRET, {'"': "&quot;", "'": "&apos;"}),
    ):
        assert redact.text(f"before {spelled} after") == f"before {MASK} after", spelled


def test_structured_data_is_redacted_at_every_depth_keys_included() -> None:
    redact = Redactor(["hunter22"])
    data = {"a": ["x hunter22 y", {"hunter22": 5, "n": 7}], "b": True}
    assert redact.data(data) == {"a": [f"x {MASK} y", {MASK: 5, "n": 7}], "b": True}


def test_the_secrets_are_the_configured_password_and_token() -> None:
    settings = Settings(password=SecretStr("pw-12345678"), auth_token=SecretStr("tok-87654321"))
    redact = Redactor.for_settings(settings)
    assert redact.text("pw-12345678 / tok-87654321") == f"{MASK} / {MASK}"
    assert not Redactor.for_settings(Settings(password=None, auth_token=None))  # nothing to hide
    assert Redactor([""]).text("anything") == "anything"


def test_log_records_lose_the_secret_in_message_arguments_and_traceback() -> None:
    redact = Redactor(["hunter22"])
    try:
        raise ValueError("refused: hunter22")
    except ValueError as exc:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed with %s", ("hunter22",), (type(exc), exc, None)
        )
    assert RedactingFilter(redact).filter(record)
    shown = logging.Formatter().format(record)
    assert "hunter22" not in shown
    assert f"failed with {MASK}" in shown and f"ValueError: refused: {MASK}" in shown


def test_a_short_secret_is_not_masked_inside_figures_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        redactor = Redactor(["2024"])
    record = {"invoice_date": "2024-05-01", "gross_amount": "12024.00"}
    assert redactor.data(record) == record
    assert "shorter than 8 characters" in caplog.text and "2024" not in caplog.text
