"""Confirmation tokens for destructive calls: minted by the server, unforgeable by a model.

A token is ``v1.<payload>.<signature>``: the payload names the tool, a digest of the exact
arguments, a digest of the target's state when the preview was made, the MCP session where
there is one, an expiry and a nonce, signed with HMAC-SHA256 under a key the model never sees.
Redeeming checks all of them and burns the nonce, so a token works once, for that call, in that
session, on that unchanged target.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..tools.base import Approval, ToolFailure

_VERSION = "v1"
_DIGEST = 20  # hex digits kept of each digest: 80 bits, plenty to tell calls apart, short to echo
_AGAIN = "Call again without confirmation_token to get a fresh preview and token."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def args_digest(args: Mapping[str, Any]) -> str:
    canonical = json.dumps(args, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:_DIGEST]


class ConfirmationBook:
    def __init__(
        self,
        *,
        ttl: float = 300.0,
        key: bytes | None = None,
        clock: Callable[[], float] = time.time,
        account: str = "",
    ) -> None:
        self.ttl = ttl
        self.account = account
        """Whose books its tokens act on: one account's token is refused by another's book."""
        self._key = key or secrets.token_bytes(32)
        self._clock = clock
        self._spent: dict[str, float] = {}  # nonce → expiry, kept until it could not verify anyway
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ConfirmationBook(ttl={self.ttl})"

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self._key, payload, hashlib.sha256).digest()[:16])

    def mint(self, tool: str, args: Mapping[str, Any], state: str, session: str = "") -> Approval:
        expires = round(self._clock() + self.ttl, 3)
        claims = {"t": tool, "a": args_digest(args), "s": state[:_DIGEST], "e": expires}
        if session:
            claims["c"] = args_digest({"session": session})
        if self.account:
            claims["k"] = self.account
        claims["n"] = secrets.token_hex(6)
        payload = json.dumps(claims, separators=(",", ":")).encode()
        token = f"{_VERSION}.{_b64(payload)}.{self._sign(payload)}"
        return Approval(approved=False, token=token, expires_in=max(1, round(self.ttl)))

    def review(
        self,
        tool: str,
        args: Mapping[str, Any],
        state: str,
        token: str | None,
        *,
        session: str = "",
    ) -> Approval:
        """Mint a token when none is given; otherwise redeem it or say exactly why not."""
        if not token:
            return self.mint(tool, args, state, session)
        claims = self._verified_claims(token)
        if claims.get("k", "") != self.account:
            whose = f"account {claims['k']}" if claims.get("k") else "another account"
            raise ToolFailure(
                f"This confirmation_token was issued for {whose}'s books, not {self.account}'s. "
                + _AGAIN
            )
        if claims.get("c", "") != (args_digest({"session": session}) if session else ""):
            raise ToolFailure("This confirmation_token was issued to another session. " + _AGAIN)
        if claims.get("t") != tool:
            raise ToolFailure(f"This confirmation_token is for {claims.get('t')}, not {tool}.")
        if claims.get("a") != args_digest(args):
            raise ToolFailure(
                "This confirmation_token was issued for different arguments. " + _AGAIN
            )
        now = self._clock()
        if now > claims.get("e", 0):
            raise ToolFailure("This confirmation_token has expired. " + _AGAIN)
        with self._lock:
            self._spent = {n: e for n, e in self._spent.items() if e >= now}
            nonce = str(claims.get("n"))
            # Checked before the state: a token that acted has changed its record, and "used"
            # is the truer reason to give.
            if nonce in self._spent:
                raise ToolFailure("This confirmation_token has already been used. " + _AGAIN)
            if claims.get("s") != state[:_DIGEST]:
                raise ToolFailure(
                    "The record changed since the preview, so the token no longer applies. "
                    + _AGAIN
                )
            self._spent[nonce] = float(claims.get("e", now))
        return Approval(approved=True)

    def _verified_claims(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        forged = ToolFailure("This confirmation_token is not one this server issued. " + _AGAIN)
        if len(parts) != 3 or parts[0] != _VERSION:
            raise forged
        try:
            payload = _unb64(parts[1])
        except ValueError:
            raise forged from None
        if not hmac.compare_digest(self._sign(payload), parts[2]):
            raise forged
        claims = json.loads(payload)
        if not isinstance(claims, dict):
            raise forged
        return claims
