"""The README cannot drift: its generated blocks are what the commands and the API print today,
and its layout section names every part of the package."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text("utf-8")


def _script():
    spec = importlib.util.spec_from_file_location("readme_script", ROOT / "scripts" / "readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_generated_block_is_known_and_every_example_has_its_output():
    script = _script()
    names = [m["name"] for m in script.BEGIN.finditer(README)]
    assert set(names) - {"python"} == set(script.BLOCKS), names
    assert names.count("python") == README.count("```python\n") - 1  # the export snippet
    for match in script.BEGIN.finditer(README):
        assert match["body"].strip(), f"generated block {match['name']} is empty"


BLOCKS = ["demo", "scenario-error", "score", "export", "bifurcation", "loops", "attribution",
          "diary",
          "python"]


@pytest.mark.parametrize("block", [
    pytest.param("validation", marks=pytest.mark.slow(minutes=7)),
    *(pytest.param(b, marks=pytest.mark.slow(minutes=0.5)) for b in BLOCKS)])
def test_the_readme_prints_what_the_commands_print(block):
    """Regenerates each block (the demo, a validation run, the examples...) and compares; one
    test per block, so that the long validation run shares the machine with the rest."""
    diff = _script().differences({block})
    assert not diff, "README.md differs from the commands; run python scripts/readme.py " \
        f"--write --only {block}\n" + diff


def test_every_block_is_checked():
    assert {*BLOCKS, "validation"} == {*_script().BLOCKS, "python"}


def test_the_layout_names_every_part_of_the_package():
    layout = README[README.index("### Layout"):README.index("## How to cite")]
    source = ROOT / "src" / "fmsim"
    parts = {p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("__")}
    parts |= {p.name for p in source.glob("*.py") if not p.name.startswith("__")}
    for part in sorted(parts):
        assert re.search(rf"src/fmsim/{re.escape(part)}", layout), part


def test_the_readme_uses_only_the_public_api():
    import fmsim

    for code in re.findall(r"```python\n(.*?)```", README, re.S):
        assert not re.search(r"from fmsim\.", code), code
        for name in re.findall(r"\bfmsim\.(\w+)", code):
            assert name in fmsim.__all__, name
