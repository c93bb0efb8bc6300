"""The package's layers only depend downwards: server → tools → kashflow → HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kashflow_mcp"


def imports_in(path: Path) -> set[str]:
    """Every module one file imports, relative imports made absolute.

    ``from a import b`` counts as importing both ``a`` and ``a.b``: b may be a module.
    """
    package = ["kashflow_mcp", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def imports_of(layer: str) -> set[str]:
    """Every module imported by the files of one layer (a folder, or one module's file)."""
    module = (PACKAGE / layer).with_suffix(".py")
    if module.exists():
        return imports_in(module)
    return set().union(*map(imports_in, (PACKAGE / layer).rglob("*.py")))


def within(module: str, *packages: str) -> bool:
    """Whether ``module`` is one of ``packages`` or inside one."""
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def test_schemas_import_nothing_of_ours_but_themselves() -> None:
    ours = {m for m in imports_of("schemas") if m.startswith("kashflow_mcp")}
    assert all(m.startswith("kashflow_mcp.schemas") for m in ours), ours


@pytest.mark.parametrize("layer", ["kashflow", "schemas", "sandbox"])
def test_only_server_and_tools_import_mcp(layer: str) -> None:
    assert not {m for m in imports_of(layer) if m == "mcp" or m.startswith("mcp.")}


def test_the_client_never_imports_the_sandbox() -> None:
    for layer in ("kashflow", "tools", "schemas"):
        assert not any(m.startswith("kashflow_mcp.sandbox") for m in imports_of(layer)), layer


def test_the_sandbox_uses_nothing_of_ours_but_itself_and_the_kashflow_layer() -> None:
    """Not tools, not server: what the sandbox shares is KashFlow's wire (codec, catalogue,
    WSDL types), so it answers as KashFlow would, not as our own tools expect."""
    ours = {m for m in imports_of("sandbox") if within(m, "kashflow_mcp")}
    assert not {m for m in ours if not within(m, "kashflow_mcp.sandbox", "kashflow_mcp.kashflow")}


AREAS = sorted(p.name for p in (PACKAGE / "sandbox" / "areas").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("area", AREAS)
def test_an_area_of_the_sandbox_imports_no_other_area(area: str) -> None:
    """What two areas share lives in the sandbox's rules, db or dispatch."""
    imported = imports_in(PACKAGE / "sandbox" / "areas" / area)
    assert not {m for m in imported if within(m, "kashflow_mcp.sandbox.areas")}


def test_tools_do_not_reach_up_into_the_server() -> None:
    assert not any(m.startswith("kashflow_mcp.server") for m in imports_of("tools"))


def test_our_client_uses_httpx_not_the_sdks_fork() -> None:
    everything = set().union(*(imports_of(p.name) for p in PACKAGE.iterdir() if p.is_dir()))
    assert not any(m == "httpx2" or m.startswith("httpx2.") for m in everything)


def test_the_client_layer_imports_nothing_above_it() -> None:
    above = ("kashflow_mcp.tools", "kashflow_mcp.server", "kashflow_mcp.schemas")
    assert not any(m.startswith(above) for m in imports_of("kashflow"))


TOOL_AREAS = sorted(
    p.name
    for p in (PACKAGE / "tools").iterdir()
    if (p / "__init__.py").exists() and p.name != "core"
)
CLIENT_AREAS = ["bank", "customers", "invoices", "payments", "reference"]


@pytest.mark.parametrize("area", TOOL_AREAS)
def test_a_tool_area_imports_no_other_area_only_what_they_share(area: str) -> None:
    others = {f"kashflow_mcp.tools.{name}" for name in TOOL_AREAS if name != area}
    reached = {m for m in imports_of(f"tools/{area}") if m.startswith(tuple(others))}
    assert not reached, f"tools/{area} imports {reached}; share it through tools/core instead"


@pytest.mark.parametrize("area", TOOL_AREAS)
def test_a_tool_area_s_declarations_import_none_of_its_code(area: str) -> None:
    """``tools/<area>/__init__.py`` says what the model sees and names each handler: it imports
    only the spec's parts, so listing the tools loads no area's handlers or models."""
    ours = {
        m for m in imports_in(PACKAGE / "tools" / area / "__init__.py") if within(m, PACKAGE.name)
    }
    assert all(within(m, "kashflow_mcp.tools.base", "kashflow_mcp.tools.toolsets") for m in ours)


def test_the_shared_tool_mechanics_import_no_area() -> None:
    for shared in ("tools/core", "tools/documents", "tools/base", "tools/toolsets"):
        areas = tuple(f"kashflow_mcp.tools.{name}" for name in TOOL_AREAS)
        assert not any(m.startswith(areas) for m in imports_of(shared)), shared


@pytest.mark.parametrize("area", CLIENT_AREAS)
def test_a_client_area_imports_no_other_area(area: str) -> None:
    others = {f"kashflow_mcp.kashflow.api.{name}" for name in CLIENT_AREAS if name != area}
    assert not {m for m in imports_of(f"kashflow/api/{area}") if m in others}
