"""duetto's modules keep each other's private names private and import one another without cycles.

The test reads every module under `src/duetto` with `ast` (nothing is imported or run) and collects
every `import` and `from … import` statement, including those inside functions and methods, except
the ones under `if TYPE_CHECKING:` (they never run; their `else:` branch does and is counted).
Relative imports are resolved against the importing module, and `from pkg import name` means the
submodule `pkg.name` when such a module exists, otherwise the package `pkg` itself.

Private names: a name starting with one underscore (`_helper`, `_CACHE`) belongs to its module.
Taking one from another module is an offence, whether as `from duetto.x import _helper` or as an
attribute of an imported module (`x._helper` after `from duetto import x`). That holds for a
package taking a private name from its own submodule too. Dunder names (`__version__`) are public.

Cycles: the module graph has an edge A → B when A names B in an import (B is the module written in
the statement, or the submodule `from B import name` resolves to). Every strongly connected
component with more than one module is a cycle, and so is a module that imports itself. Packages:

- Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first, but that implicit step is
  NOT an edge. Otherwise every package whose `__init__` re-exports its submodules
  (`from .engine import Painter`) would be in a cycle with each submodule that imports a sibling by
  its full name, and such code is fine: Python has put the half-run package in `sys.modules` and
  loads the sibling submodule on its own.
- Taking a name from a package (`from duetto.media.text import Poet`) IS an edge to the package's
  `__init__`, because it needs that `__init__` to have run far enough to define the name. So a
  package `__init__` that imports its submodules, and a submodule that takes a name from its own
  package, make a real cycle and are reported. A submodule should import its sibling directly.
- `from pkg import sub` where `sub` is a submodule is an edge to `pkg.sub` only.

Dynamic imports (`importlib.import_module`, entry points) are not seen.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "duetto"


@dataclass(frozen=True)
class Import:
    """One module named by one import statement, with the names taken from it."""

    source: str  # the importing module, dotted
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # names taken from `target` (`from target import a, b`), else ()
    line: int
    text: str  # the statement as written

    def where(self) -> str:
        return f"{module_path(self.source)}:{self.line}  {one_line(self.text)}"


def one_line(code: str) -> str:
    """A statement written over several lines, on one: `from x import (a, b)`."""
    return re.sub(r",?\s*\)", ")", re.sub(r"\(\s*", "(", " ".join(code.split())))


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, dotted name → file (a package is its `__init__.py`)."""
    found: dict[str, Path] = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def module_path(name: str) -> str:
    return str(modules()[name].relative_to(ROOT.parent))


def is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` in source order, except those under an `if TYPE_CHECKING:` body."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If) and is_type_checking(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(reversed(list(ast.iter_child_nodes(node))))  # popped in source order
    return out


def resolve_from(source: str, node: ast.ImportFrom) -> str:
    """The absolute module a `from … import` statement in `source` names."""
    if not node.level:
        return node.module or ""
    base = source.split(".")
    if not is_package(source):
        base.pop()  # `.` in a plain module is its package; in a package `__init__` the package itself
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@dataclass
class Parsed:
    imports: list[Import]
    attributes: list[Import]  # `x._helper` where `x` is an imported duetto module


@cache
def parse(source: str) -> Parsed:
    path = modules()[source]
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    nodes = runtime_nodes(tree)
    imports: list[Import] = []
    bound: dict[str, str] = {}  # a local name → the duetto module (or package prefix) it names
    for node in nodes:
        statement = ast.get_source_segment(text, node) if isinstance(node, ast.Import | ast.ImportFrom) else None
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != PACKAGE:
                    continue
                imports.append(Import(source, alias.name, (), node.lineno, statement or ""))
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[PACKAGE] = PACKAGE
        elif isinstance(node, ast.ImportFrom):
            target = resolve_from(source, node)
            if target.split(".")[0] != PACKAGE:
                continue
            taken: list[str] = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules():
                    imports.append(Import(source, sub, (), node.lineno, statement or ""))
                    bound[alias.asname or alias.name] = sub
                else:
                    taken.append(alias.name)
            if taken or not node.names:
                imports.append(Import(source, target, tuple(taken), node.lineno, statement or ""))
    attributes: list[Import] = []
    for node in nodes:
        if not isinstance(node, ast.Attribute):
            continue
        attrs: list[str] = []
        value: ast.expr = node
        while isinstance(value, ast.Attribute):
            attrs.insert(0, value.attr)
            value = value.value
        if not (isinstance(value, ast.Name) and value.id in bound):
            continue
        dotted = bound[value.id]
        for i, part in enumerate(attrs):
            if f"{dotted}.{part}" in modules() and i < len(attrs) - 1:
                dotted = f"{dotted}.{part}"
                continue
            if is_private(part) and dotted in modules() and dotted != source:
                code = f"{value.id}.{'.'.join(attrs[: i + 1])}"
                attributes.append(Import(source, dotted, (part,), node.lineno, code))
            break
    return Parsed(imports, list(dict.fromkeys(attributes)))


def all_imports() -> list[Import]:
    return [imp for name in modules() for imp in parse(name).imports]


def private_offences() -> list[Import]:
    out: list[Import] = []
    for name in modules():
        parsed = parse(name)
        for imp in parsed.imports:
            if imp.target != imp.source and any(is_private(n) for n in imp.names):
                out.append(imp)
        out.extend(parsed.attributes)
    return sorted(out, key=lambda i: (i.source, i.line))


def graph() -> dict[str, dict[str, Import]]:
    """Module → {imported module → the first statement that imports it}."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in modules()}
    for imp in all_imports():
        if imp.target in modules():
            edges[imp.source].setdefault(imp.target, imp)
    return edges


def strongly_connected(edges: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of the graph, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def cycle_through(start: str, members: set[str], edges: dict[str, dict[str, Import]]) -> list[Import]:
    """A shortest path of imports from `start` back to itself inside one component."""
    previous: dict[str, Import] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt, imp in sorted(edges[node].items()):
                if nxt not in members or nxt in previous:
                    continue
                previous[nxt] = imp
                if nxt == start:
                    path = [imp]
                    while path[0].source != start:
                        path.insert(0, previous[path[0].source])
                    return path
                following.append(nxt)
        frontier = following
    raise AssertionError(f"{start} is in a component but on no cycle")


def cycles() -> list[tuple[list[str], list[Import]]]:
    """Each knot of modules that import one another: its members, and one cycle through them."""
    edges = graph()
    found: list[tuple[list[str], list[Import]]] = []
    for component in strongly_connected(edges):
        if len(component) > 1 or component[0] in edges[component[0]]:
            found.append((component, cycle_through(component[0], set(component), edges)))
    return sorted(found)


def chain(path: list[Import]) -> str:
    return " → ".join([imp.source for imp in path] + [path[0].source])


def test_the_walk_sees_the_whole_package() -> None:
    names = modules()
    assert "duetto.media.text.poem" in names and "duetto.studio" in names
    assert len(all_imports()) > 100
    # a guard on the guard: every import names a module that exists, so none slips past the checks
    unresolved = [imp.where() for imp in all_imports() if imp.target not in names]
    if unresolved:
        pytest.fail("imports that name no module under src/duetto:\n" + "\n".join(unresolved), pytrace=False)


def test_no_module_takes_another_modules_private_names() -> None:
    offences = private_offences()
    if offences:
        lines = [f"{module_path(imp.source)}:{imp.line}  {imp.target}: {', '.join(n for n in imp.names if is_private(n))}"
                 f"    ({one_line(imp.text)})" for imp in offences]
        pytest.fail(
            f"{len(offences)} use(s) of another module's underscore names; make the helper public (with a "
            "docstring saying why it is shared) or move it to the module that uses it:\n" + "\n".join(lines),
            pytrace=False,
        )


def test_there_is_no_import_cycle_inside_duetto() -> None:
    found = cycles()
    if found:
        blocks = []
        for members, path in found:
            block = [chain(path), *(f"    {imp.where()}" for imp in path)]
            if len(members) > len(path):
                block.append(f"    (one knot of {len(members)} modules: {', '.join(members)})")
            blocks.append("\n".join(block))
        pytest.fail(
            f"{len(found)} import cycle(s); move the shared piece to the module that belongs lower, or to a "
            "small new module with one job (not into a function-level import):\n" + "\n".join(blocks),
            pytrace=False,
        )


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dict[str, str]], None]]:
    """Point the walk at a throwaway `duetto` package made of the given files."""

    def write(files: dict[str, str]) -> None:
        for rel, code in {"__init__.py": "", **files}.items():
            path = tmp_path / PACKAGE / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code + "\n", encoding="utf-8")

    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    modules.cache_clear()
    parse.cache_clear()
    yield write
    modules.cache_clear()
    parse.cache_clear()


SPEC = "def _clamp(x): return x\nclamp = _other = _clamp"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"user.py": "from duetto.spec import _clamp, clamp"}, ["_clamp"]),
        ({"user.py": "from .spec import _clamp"}, ["_clamp"]),
        ({"user.py": "from duetto import spec\nspec._clamp(1)"}, ["_clamp"]),
        ({"user.py": "import duetto.spec as s\ns._clamp"}, ["_clamp"]),
        ({"user.py": "import duetto.spec\nduetto.spec._clamp"}, ["_clamp"]),
        ({"user.py": "from duetto import __version__\nfrom duetto.spec import clamp"}, []),
        ({"user.py": "if TYPE_CHECKING:\n    from duetto.spec import _clamp\nelse:\n    from duetto.spec import _other"},
         ["_other"]),
        ({"user.py": "def f():\n    from duetto.spec import _clamp"}, ["_clamp"]),
        # a package taking a private name from its own submodule
        ({"pkg/__init__.py": "from .engine import _helper", "pkg/engine.py": "_helper = 1"}, ["_helper"]),
        # a module's own private names are its own
        ({"user.py": "_mine = 1\n_mine"}, []),
    ],
)
def test_the_private_name_check_catches_what_it_should(
    files: dict[str, str], expected: list[str], fake_package: Callable[[dict[str, str]], None]
) -> None:
    fake_package({"spec.py": SPEC, **files})
    assert [n for imp in private_offences() for n in imp.names if is_private(n)] == expected


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a package re-exporting its submodule, which imports a sibling by its full name: fine
        ({"pkg/__init__.py": "from .a import A", "pkg/a.py": "from duetto.pkg.b import B\nA = B", "pkg/b.py": "B = 1"},
         []),
        # the submodule takes a name from its own package's __init__: a cycle
        ({"pkg/__init__.py": "from .a import A\nX = 1", "pkg/a.py": "from duetto.pkg import X\nA = X"},
         ["duetto.pkg → duetto.pkg.a → duetto.pkg"]),
        # two modules, one of the imports inside a function: still a cycle
        ({"a.py": "from duetto.b import B\nA = 1", "b.py": "def f():\n    from duetto.a import A\nB = 1"},
         ["duetto.a → duetto.b → duetto.a"]),
        # relative imports: `from . import a` names the submodule, `from .a import A` the module a
        ({"pkg/__init__.py": "", "pkg/a.py": "from .b import B\nA = 1", "pkg/b.py": "from . import a\nB = 1"},
         ["duetto.pkg.a → duetto.pkg.b → duetto.pkg.a"]),
        # an import that only type checkers see is no cycle
        ({"a.py": "from duetto.b import B", "b.py": "if TYPE_CHECKING:\n    from duetto.a import A\nB = 1"}, []),
    ],
)
def test_the_cycle_check_catches_what_it_should(
    files: dict[str, str], expected: list[str], fake_package: Callable[[dict[str, str]], None]
) -> None:
    fake_package(files)
    assert [chain(path) for _, path in cycles()] == expected
