"""Confirmation tokens: minted by the server, bound to tool, arguments and state; used once."""

from __future__ import annotations

import pytest

from kashflow_mcp.server.confirm import ConfirmationBook
from kashflow_mcp.tools.base import ToolFailure

ARGS = {"customer_id": 7}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def book(clock: Clock) -> ConfirmationBook:
    return ConfirmationBook(ttl=300, clock=clock)


def token_for(book: ConfirmationBook, args: dict = ARGS, state: str = "s1") -> str:
    approval = book.review("delete_customer", args, state, None)
    assert not approval.approved and approval.token
    return approval.token


def test_a_call_without_token_is_not_approved_and_gets_one(book: ConfirmationBook) -> None:
    approval = book.review("delete_customer", ARGS, "s1", None)
    assert approval.approved is False and approval.expires_in == 300


def test_the_token_approves_the_same_call_once(book: ConfirmationBook) -> None:
    token = token_for(book)
    assert book.review("delete_customer", ARGS, "s1", token).approved
    with pytest.raises(ToolFailure, match="already been used"):
        book.review("delete_customer", ARGS, "s1", token)


def test_a_forged_token_is_refused(book: ConfirmationBook) -> None:
    real = token_for(book)
    version, payload, signature = real.split(".")
    for forged in ("yes", "confirm", "v1.e30.AAAA", f"{version}.{payload}.{signature[:-2]}xx"):
        with pytest.raises(ToolFailure, match="not one this server issued"):
            book.review("delete_customer", ARGS, "s1", forged)


def test_a_token_from_another_server_is_refused(book: ConfirmationBook) -> None:
    other = ConfirmationBook(ttl=300)
    with pytest.raises(ToolFailure, match="not one this server issued"):
        book.review("delete_customer", ARGS, "s1", token_for(other))


def test_an_expired_token_is_refused(book: ConfirmationBook, clock: Clock) -> None:
    token = token_for(book)
    clock.now += 301
    with pytest.raises(ToolFailure, match="expired"):
        book.review("delete_customer", ARGS, "s1", token)


def test_a_token_for_other_arguments_is_refused(book: ConfirmationBook) -> None:
    token = token_for(book)
    with pytest.raises(ToolFailure, match="different arguments"):
        book.review("delete_customer", {"customer_id": 8}, "s1", token)


def test_a_token_for_another_tool_is_refused(book: ConfirmationBook) -> None:
    token = token_for(book)
    with pytest.raises(ToolFailure, match="for delete_customer, not delete_invoice"):
        book.review("delete_invoice", ARGS, "s1", token)


def test_a_token_is_void_once_the_target_changes(book: ConfirmationBook) -> None:
    token = token_for(book, state="s1")
    with pytest.raises(ToolFailure, match="changed since the preview"):
        book.review("delete_customer", ARGS, "s2", token)


def test_a_token_is_bound_to_the_session_that_asked(book: ConfirmationBook) -> None:
    token = book.review("delete_customer", ARGS, "s1", None, session="A").token
    with pytest.raises(ToolFailure, match="another session"):
        book.review("delete_customer", ARGS, "s1", token, session="B")
    with pytest.raises(ToolFailure, match="another session"):
        book.review("delete_customer", ARGS, "s1", token)
    assert book.review("delete_customer", ARGS, "s1", token, session="A").approved
