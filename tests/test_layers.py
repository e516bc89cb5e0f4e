"""The structure, read from the code's own imports: layers only point down (DESIGN section 9), and
no module imports itself back through others."""

import ast
import importlib
from pathlib import Path

import pytest

SOURCE = Path(__file__).parent.parent / "src" / "fmsim"

LAYERS = {
    "errors": 0, "choices": 0,
    "files": 1, "stats": 1,
    "model": 2,
    "engine": 3,
    "instruments": 4, "interventions": 4,
    "population": 5,
    "studies": 6,
    "analysis": 7,
    "twin": 8,
    "reports": 9, "interop": 9,
    "cli": 10,
    "__init__": 11, "__main__": 11,
}
"""Each top-level module or package of fmsim and its layer: a module may import only from a
lower layer or from its own package."""


def _module_name(path: Path, source: Path = SOURCE) -> str:
    parts = path.relative_to(source.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, source: Path = SOURCE) -> list[tuple[str, bool]]:
    """Every fmsim module ``path`` imports, and whether the import is at module level (not in
    a function, and not only for type checking)."""
    tree = ast.parse(path.read_text("utf-8"))
    name = _module_name(path, source)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    guarded = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and "TYPE_CHECKING" in ast.unparse(block.test)
               for node in ast.walk(block)}
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in KNOWN else target
                     for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.startswith("fmsim"):
                found.append((name, id(node) in top and id(node) not in guarded))
    return found


MODULES = sorted(SOURCE.rglob("*.py"))
KNOWN = {_module_name(p) for p in MODULES}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _check_layers(path: Path, source: Path = SOURCE) -> None:
    module = _module_name(path, source)
    mine = _layer(module)
    assert mine in LAYERS, f"{path}: give its package a layer"
    for name, _ in _imports(path, source):
        theirs = _layer(name)
        if theirs == mine or name == "fmsim":
            continue
        assert LAYERS[theirs] < LAYERS[mine], f"{module} imports {name} (layer {theirs} is " \
            f"not below {mine})"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_point_down(path):
    _check_layers(path)


def test_no_import_cycles_between_modules():
    graph = {}
    for path in MODULES:
        module = _module_name(path)
        graph[module] = {n for n, top in _imports(path) if top and n in KNOWN and n != module}
    done, stack = set(), []

    def visit(node):
        if node in stack:
            cycle = stack[stack.index(node):] + [node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        stack.pop()
        done.add(node)

    for module in sorted(graph):
        visit(module)


def test_the_layer_rules_see_a_wrong_import(tmp_path):
    """The checker itself: a model module that imported a study would be caught."""
    probe = tmp_path / "fmsim" / "model" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text("from ..studies import run_trial\n")
    with pytest.raises(AssertionError, match="is not below"):
        _check_layers(probe, tmp_path / "fmsim")
    probe.write_text("from ..errors import FMSimError\nfrom .builder import Model\n")
    _check_layers(probe, tmp_path / "fmsim")


PACKAGES = sorted(_module_name(p) for p in MODULES if p.name == "__init__.py")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_of_a_package_resolves(package):
    """Packages load their modules lazily (``lazy_loader``: a name is imported when first
    used); every name they list must be found in the module they point to."""
    module = importlib.import_module(package)
    missing = [name for name in getattr(module, "__all__", ())
               if not hasattr(module, name)]
    assert not missing, f"{package} lists {missing} but cannot load them"


def test_the_subpackages_are_attributes_of_the_package():
    """``import fmsim`` then ``fmsim.studies`` works, as it did when the package imported
    everything at once; ``__version__`` is found too."""
    import fmsim

    packages = {p.split(".")[1] for p in PACKAGES if p.count(".") == 1 and ".cli" not in p}
    assert {name for name in packages if not hasattr(fmsim, name)} == set()
    assert fmsim.__version__
