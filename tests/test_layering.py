"""planner/ is the domain layer: it never imports streamlit, its imports run one way (no\ncircles), and the packages keep their place in the flow of docs/architecture.md."""

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"


def test_planner_never_imports_streamlit():
    offenders = []
    for path in PLANNER.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(path.name)
    assert offenders == []


def _module_names() -> dict[str, Path]:
    """Every module of planner/ by its dotted name (a package by its own name)."""
    out = {}
    for path in PLANNER.rglob("*.py"):
        parts = list(path.relative_to(PLANNER.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The planner module a dotted name refers to: itself, or its longest module prefix."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which planner modules each planner module imports, at the top or inside functions
    (a lazy import is still a dependency, and a circle through one is still a circle)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                # ``from planner.scoring import uplift`` imports the module planner.scoring.uplift
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                found = _resolve(target, modules)
                if found and found != mod:
                    graph[mod].add(found)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles_between_planner_modules():
    """Data flows one way (docs/architecture.md): no module of planner/ (a package counts
    as its ``__init__``) may, directly or through others, import a module that imports it."""
    graph = _imports(_module_names())
    assert _circles(graph) == []


# The one-way flow of docs/architecture.md, for the packages whose place in it is fixed:
# a package never imports one that comes after it.
LATER = {
    "planner.scoring": ("planner.scheduling", "planner.plans", "planner.projection", "planner.reporting", "planner.jobs"),
    "planner.scheduling": ("planner.scoring", "planner.plans", "planner.projection", "planner.reporting", "planner.jobs", "planner.db",
                           "planner.audit", "planner.auth"),
    "planner.plans": ("planner.projection", "planner.reporting", "planner.jobs"),
    "planner.identity": ("planner.auth", "planner.trail", "planner.audit"),
    "planner.trail": ("planner.auth", "planner.audit"),
}


def test_lower_layers_never_import_later_ones():
    """The scheduler is pure (records in, a plan out: no database, no users), the model
    package knows nothing of plans, and plans know nothing of what reads them later."""
    graph = _imports(_module_names())
    wrong = sorted((mod, target) for mod, targets in graph.items() for target in targets for low, later in LATER.items()
                   if (mod == low or mod.startswith(low + ".")) and any(target == x or target.startswith(x + ".") for x in later))
    assert wrong == []


def test_the_circle_finder_finds_a_circle():
    """The walk above must see imports inside functions and name a circle when there is one."""
    graph = {"planner.a": {"planner.b"}, "planner.b": {"planner.c"}, "planner.c": {"planner.a"}, "planner.d": {"planner.a"}}
    assert _circles(graph) == [["planner.a", "planner.b", "planner.c"]]
    graph = _imports(_module_names())
    assert "planner.scheduling" in graph["planner.audit"]  # imported inside a function only
    assert "planner.scheduling.decomposition" in graph["planner.scheduling.solver"]  # from a package, a module
    assert "planner.scoring.calibration" in graph["planner.projection.uptake"]
