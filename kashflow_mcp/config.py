"""Settings, from the environment (``KASHFLOW_*``) and command-line flags.

Flags win over the environment. Secrets are ``SecretStr``: their repr and str are masked, so
they cannot leak through a log line or an error message by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from .kashflow.soap import KASHFLOW_API_URL

Transport = Literal["stdio", "sse", "http"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
# Lists arrive from the environment as "a,b,c", not JSON.
Names = Annotated[list[str], NoDecode]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _data_dir() -> Path:
    from platformdirs import user_data_path  # only when a default path is actually needed

    return user_data_path("kashflow-mcp", appauthor=False)


def default_sandbox_db(company: str = "kestrel") -> Path:
    """Where the sandbox keeps a demo company's books between runs (Kestrel's: sandbox.db)."""
    return _data_dir() / ("sandbox.db" if company == "kestrel" else f"sandbox-{company}.db")


def default_audit_log() -> Path:
    return _data_dir() / "audit.jsonl"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KASHFLOW_", extra="ignore", validate_by_name=True)

    # KashFlow connection
    username: str | None = None
    password: SecretStr | None = None
    api_url: str = KASHFLOW_API_URL
    timeout: float = Field(30.0, gt=0, description="Seconds for one HTTP exchange with KashFlow.")
    call_deadline: float = Field(
        45.0, gt=0, description="Seconds one tool call may spend on KashFlow, retries included."
    )

    accounts: Path | None = Field(
        None, description="Accounts file (TOML). Default: accounts.toml in the config dir."
    )

    # Embedded sandbox instead of live KashFlow
    sandbox: bool = False
    sandbox_db: Path | None = Field(None, description="Default: sandbox.db in the data dir.")
    sandbox_companies: int = Field(
        1, ge=1, description="Demo companies the sandbox plays, each an account of its own."
    )

    # What the model may do
    read_only: bool = False
    toolsets: Names = Field(
        default_factory=list,
        description="Toolsets to offer: names, default or all (empty: default).",
    )
    tools: Names = Field(default_factory=list, description="Only these tools (empty: all).")
    exclude_tools: Names = Field(default_factory=list)
    allow_operations: Names = Field(
        default_factory=list,
        description="Restricted SOAP operations (mail, logins, account) the generic call may use.",
    )
    confirmation_ttl: float = Field(300.0, gt=0, description="Seconds a confirmation token lives.")
    ask_user: bool = Field(
        True, description="Ask the user directly (MCP elicitation) where the client can."
    )
    ask_timeout: float = Field(120.0, gt=0, description="Seconds to wait for the user's answer.")
    max_body_bytes: int = Field(64_000, gt=0, description="Cap on call_kashflow_api's body.")
    max_result_chars: int = Field(60_000, gt=0, description="Cap on one tool result's text.")

    # Serving
    transport: Transport = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    auth_token: SecretStr | None = Field(
        None,
        validation_alias="KASHFLOW_MCP_TOKEN",
        description="Bearer token for HTTP; empty means none.",
    )
    max_sessions: int = Field(
        100, gt=0, description="Open MCP sessions over HTTP or SSE; more are refused (503)."
    )
    session_idle_timeout: float = Field(
        600.0, gt=0, description="Seconds a Streamable HTTP session may sit unused, then closes."
    )
    log_level: LogLevel = "WARNING"
    audit_log: Path | None = Field(
        None,
        description="JSON lines: every write, delete and generic call, whatever its outcome. "
        "Default: audit.jsonl in the data dir.",
    )

    @field_validator("toolsets", "tools", "exclude_tools", "allow_operations", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("auth_token", mode="before")
    @classmethod
    def _blank_is_no_token(cls, value: object) -> object:
        # KASHFLOW_MCP_TOKEN= (set but empty) must not pass for a token: it would make the
        # bare "Authorization: Bearer" a valid credential.
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(text, str) and not text.strip():
            return None
        return value

    @property
    def is_loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS
