"""The model builder: ordering, loops, unknown and unused names."""

import pytest

from fmsim.model import ModelBuilder, ModelError, ops


def small_builder():
    b = ModelBuilder("toy")
    b.input("u", "drive")
    b.state("x", "relaxing state", lambda v: (v.target - v.x) / v.tau, initial=0.0)
    # declared before the variable it depends on: the builder must reorder
    b.variable("target", "where x relaxes to", lambda v: ops.sigmoid(v.gain * v.drive))
    b.variable("drive", "total drive", lambda v: v.u + v.x)
    return b


def test_variables_are_ordered_by_dependency():
    model = small_builder().build({"tau", "gain"})
    assert model.variable_names == ("drive", "target")
    assert model.parameters == ("gain", "tau")


def test_algebraic_loop_is_refused():
    b = small_builder()
    b.variable("y", "depends on z", lambda v: v.z)
    b.variable("z", "depends on y", lambda v: v.y)
    with pytest.raises(ModelError, match="algebraic loop"):
        b.build({"tau", "gain"})


def test_unknown_name_in_equation_is_refused():
    b = small_builder()
    b.variable("w", "uses a name nobody declared", lambda v: v.nowhere)
    with pytest.raises(ModelError, match="nowhere"):
        b.build({"tau", "gain"})


def test_unused_parameter_is_refused():
    with pytest.raises(ModelError, match="unused_one"):
        small_builder().build({"tau", "gain", "unused_one"})


def test_duplicate_name_is_refused():
    b = small_builder()
    b.input("x", "same name as the state")
    with pytest.raises(ModelError, match="twice"):
        b.build({"tau", "gain"})


def test_coupling_needs_known_ends_and_a_sign():
    b = small_builder()
    b.coupling("u", "ghost", +1, [])
    with pytest.raises(ModelError, match="ghost"):
        b.build({"tau", "gain"})
    with pytest.raises(ModelError, match="sign"):
        small_builder().coupling("u", "x", 0, [])
