"""planner/ is the domain layer: it must never import streamlit."""

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
