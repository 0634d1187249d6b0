"""Every import in the code that `make run` runs must resolve with the runtime lock alone.

Run by the runtime-only venv (scripts/smoke-runtime.sh). Walks every module of Cyan and of
the stand-ins except tests, including imports deferred into functions (the kind that once
hid `faker` behind the dev lock), and names each one this interpreter cannot find.
Imports under `if TYPE_CHECKING:` are skipped: they never run.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_RUNTIME = {"tests", "testkit", "benchmarks", "migrations", "node_modules", "var", "scripts"}
STANDINS = ROOT / "sandbox"


def runtime_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & NOT_RUNTIME or any(p.startswith(".") for p in parts):
            continue
        if path.name == "conftest.py" or path.name.startswith("test_"):
            continue
        yield path


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        stack.extend(ast.iter_child_nodes(node))


def _source_roots(path: Path) -> list[Path]:
    """Where a module's sibling packages live: the repo, or its stand-in's project."""
    roots = [ROOT]
    if STANDINS in path.parents:
        roots.append(STANDINS / path.relative_to(STANDINS).parts[0])
    return roots


def _first_party(name: str, roots: list[Path]) -> bool:
    return any((r / name).is_dir() or (r / f"{name}.py").is_file() for r in roots)


def missing_imports() -> list[str]:
    problems = []
    for path in runtime_files():
        roots = _source_roots(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, module in imported_modules(tree):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or _first_party(top, roots):
                continue
            if importlib.util.find_spec(top) is None:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {module!r}")
    return problems


if __name__ == "__main__":
    found = missing_imports()
    for problem in found:
        print(problem)
    if found:
        print(
            f"\n{len(found)} import(s) not installed by requirements.lock: add the package "
            "to requirements.in and run `make lock`."
        )
        sys.exit(1)
    print("Every runtime import resolves with requirements.lock alone.")
