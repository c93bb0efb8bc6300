"""A database holds one company's books, says which, and is never opened as another's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kashflow_mcp.sandbox import SandboxStore, create_app
from kashflow_mcp.sandbox.seed import prepare
from kashflow_mcp.sandbox.seed.companies import UnknownCompany, WrongCompany


def _meta(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())


def _customer_names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT name FROM customers ORDER BY id")]


def _seed(path: Path, company: str) -> None:
    store = SandboxStore(path)
    try:
        prepare(store, company=company)
    finally:
        store.close()


@pytest.mark.parametrize("company", ["kestrel", "harbour"])
def test_a_seeded_database_records_its_company(tmp_path: Path, company: str):
    _seed(tmp_path / "books.db", company)

    assert _meta(tmp_path / "books.db")["company"] == company


def test_books_without_a_demo_record_no_company(tmp_path: Path):
    store = SandboxStore(tmp_path / "empty.db")
    prepare(store, company="harbour", seed=False)
    store.close()

    assert "company" not in _meta(tmp_path / "empty.db")


@pytest.mark.parametrize(("held", "asked"), [("harbour", "kestrel"), ("kestrel", "harbour")])
@pytest.mark.parametrize("seed", [True, False])
def test_opening_one_companys_books_as_another_is_refused_and_changes_nothing(
    tmp_path: Path, held: str, asked: str, seed: bool
):
    books = tmp_path / "books.db"
    _seed(books, held)
    before = _customer_names(books)

    with pytest.raises(WrongCompany) as refused:
        create_app(books, company=asked, seed=seed)

    message = str(refused.value)
    assert str(books) in message
    assert f"({held})" in message and f"({asked})" in message
    assert refused.value.held == held
    assert _customer_names(books) == before
    assert _meta(books)["company"] == held


def test_books_seeded_before_companies_existed_are_kestrels(tmp_path: Path):
    books = tmp_path / "old.db"
    _seed(books, "kestrel")
    with closing(sqlite3.connect(books)) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'company'")  # as books from before were

    with pytest.raises(WrongCompany, match=r"Kestrel Print & Design Ltd \(kestrel\)"):
        create_app(books, company="harbour")
    assert "company" not in _meta(books)

    create_app(books, company="kestrel").state.store.close()
    assert _meta(books)["company"] == "kestrel"


def test_books_of_a_company_this_version_does_not_know_are_refused(tmp_path: Path):
    books = tmp_path / "newer.db"
    _seed(books, "kestrel")
    with closing(sqlite3.connect(books)) as db, db:
        db.execute("UPDATE meta SET value = 'lighthouse' WHERE key = 'company'")

    with pytest.raises(WrongCompany, match=r"does not know \(lighthouse\)"):
        create_app(books, company="kestrel")


def test_the_same_company_opens_its_books_again(tmp_path: Path):
    books = tmp_path / "books.db"
    _seed(books, "harbour")
    before = _customer_names(books)

    app = create_app(books, company="harbour", scale=3)
    app.state.store.close()

    assert _customer_names(books)[: len(before)] == before
    assert len(_customer_names(books)) == len(before) + 3


def test_an_unknown_company_is_refused_before_any_file_is_made(tmp_path: Path):
    with pytest.raises(UnknownCompany, match=r"'lighthouse'.*kestrel, harbour"):
        create_app(tmp_path / "never.db", company="lighthouse")

    assert not (tmp_path / "never.db").exists()
