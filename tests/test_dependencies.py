"""Every package the code imports is declared in pyproject.toml (the base or an extra), not left to
arrive through another package's requirements."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    dists = packages_distributions()
    imported = {}
    for path in (ROOT / "backprop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top not in sys.stdlib_module_names and top != "backprop":
                    imported.setdefault(top, path.relative_to(ROOT))
    missing = {top: where for top, where in imported.items()
               if not {d.lower().replace("_", "-") for d in dists.get(top, [top])} & declared}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
