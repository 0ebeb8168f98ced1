"""Imports run one way (STYLE.md): core <- plugins (site, newsletter) <- application <- commands.

Read from the source with ``ast``, every import counts, a local one in a
function too. tips_core is the core; weekly_tips and tip_newsletter are the
two plugins, each knowing only the core; tips_app is the application; scripts
may import anything. No module takes a private (``_name``) name from another
package: what a package offers is what it names without an underscore.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

PLUGINS = REPO / "plugins"
CORE = "tips_core"
SITE = "pelican.plugins.weekly_tips"
NEWSLETTER = "pelican.plugins.tip_newsletter"
APP = "tips_app"
SCRIPTS = "scripts"

# package -> the packages it must not import (the module itself or anything under it)
FORBIDDEN = {
    CORE: ("pelican.plugins", APP, SCRIPTS),
    SITE: (NEWSLETTER, APP, SCRIPTS),
    NEWSLETTER: (SITE, APP, SCRIPTS),
    APP: (SCRIPTS,),
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    importer: str  # the importing module, e.g. tips_core.i18n
    module: str  # the imported module, relative imports resolved
    names: tuple[str, ...]  # what `from module import ...` takes; () for `import module`

    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"

    def taken(self) -> list[str]:
        """Everything the import names: ``from pelican.plugins import weekly_tips`` is
        ``pelican.plugins.weekly_tips``."""
        return [f"{self.module}.{name}" for name in self.names] or [self.module]


def module_name(path: Path) -> tuple[str, bool]:
    """The dotted name of a source file, and whether it is a package's __init__."""
    parts = list(path.relative_to(PLUGINS if path.is_relative_to(PLUGINS) else REPO).parts)
    parts[-1] = parts[-1].removesuffix(".py")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def source_files() -> Iterator[Path]:
    for root in (PLUGINS, REPO / SCRIPTS):
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def imports() -> Iterator[Import]:
    for path in source_files():
        importer, is_package = module_name(path)
        package = package_of(importer, is_package)
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(path, node.lineno, importer, alias.name, ())
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([module] if module else []))
                names = tuple(alias.name for alias in node.names)
                yield Import(path, node.lineno, importer, module, names)


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


ALL = list(imports())


def test_the_layout_is_where_this_test_looks():
    importers = {i.importer for i in ALL}
    for package in (CORE, SITE, NEWSLETTER, APP, SCRIPTS):
        assert any(within(m, package) for m in importers), package


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package):
    wrong = [
        f"{i.where()}: {i.importer} imports {taken}"
        for i in ALL
        if within(i.importer, package)
        for taken in i.taken()
        if any(within(taken, other) for other in FORBIDDEN[package])
    ]
    assert wrong == []


def owner_package(module: str) -> str:
    """The package a module belongs to (a package belongs to itself)."""
    as_folder = Path(*module.split("."))
    if (PLUGINS / as_folder).is_dir() or (REPO / as_folder).is_dir():
        return module
    return module.rpartition(".")[0]


def test_no_module_takes_a_private_name_from_another_package():
    wrong = []
    for i in ALL:
        importer_package = package_of(i.importer, i.path.name == "__init__.py")
        for full in i.taken():  # `from pkg import _mod` takes the private module
            parts = full.split(".")
            private_at = next((n for n, part in enumerate(parts) if is_private(part)), None)
            if private_at is None:
                continue
            owner = ".".join(parts[:private_at])  # the module (or package) that has it
            if not within(importer_package, owner_package(owner)):
                wrong.append(f"{i.where()}: {i.importer} imports {full}")
    assert wrong == []
