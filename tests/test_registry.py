"""Registries and evidence: every parameter, coupling and circle is accounted for and true to
the equations."""

import itertools
import tomllib

import numpy as np
import pytest
import sympy as sp

from fmsim.model.fm import VICIOUS_CIRCLES
from fmsim.model.registry import TAGS, RegistryError, parse_parameters
from fmsim.model.symbolic import coupling_derivatives, expressions, markdown

from .conftest import namespace_at


def test_every_parameter_in_the_equations_has_a_registry_entry(model, registry):
    assert set(model.parameters) == set(registry.parameters)


def test_every_parameter_cites_known_evidence_and_an_honest_tag(registry):
    assert registry.missing_evidence() == []
    for name, info in registry.parameters.items():
        assert info.evidence, f"{name} cites no evidence"
        assert info.tag in TAGS
        if info.tag == "calibrated":
            assert "calibration.md" in info.target, f"{name} does not name its target"


def test_every_coupling_cites_known_evidence(model, registry):
    for c in model.couplings:
        assert c.evidence, f"coupling {c.source}->{c.target} cites no evidence"
        for key in c.evidence:
            assert key in registry.evidence, f"{c.source}->{c.target}: unknown key {key}"


def test_every_evidence_entry_is_cited(registry):
    """By some shipped model, measurement table, registry or instrument."""
    from fmsim import MODELS
    from fmsim.instruments.respondent import INSTRUMENT_EVIDENCE
    from fmsim.model.registry import packaged_parameters

    shipped = [factory() for factory in MODELS.values()]
    tables = [packaged_parameters(package, name) for package, name in (
        ("fmsim.instruments", "measurement.toml"), ("fmsim.population", "histories.toml"),
        ("fmsim.interventions", "adverse.toml"), ("fmsim.studies", "conduct.toml"))]
    tables += [packaged_parameters("fmsim.instruments", m.measurement) for m in shipped
               if m.measurement]
    tables += [m.registry.parameters for m in shipped]
    cited = {k for p in [*registry.parameters.values(), *(v for t in tables for v in t.values())]
             for k in p.evidence}
    cited |= {k for m in shipped for c in m.couplings for k in c.evidence}
    cited |= {k for keys in INSTRUMENT_EVIDENCE.values() for k in keys}
    from fmsim.interventions.catalog import load_catalog

    for entry in load_catalog().values():
        cited |= set(entry.evidence)
        cited |= {k for v in entry.values() for k in v.evidence}
    assert set(registry.evidence) <= cited, set(registry.evidence) - cited
    assert cited <= set(registry.evidence), cited - set(registry.evidence)


def test_dynamic_time_constants_are_at_least_one_day(model, registry):
    for state in model.states:
        tau = registry.parameters[state.time_constant]
        assert tau.unit == "day"
        assert tau.value >= 1 and tau.prior.bounds[0] >= 1, state.name


@pytest.mark.parametrize("where", ["healthy", "chronic"])
def test_coupling_signs_match_the_equations(model, where, healthy_baseline, chronic_fm):
    """Each declared edge's sign equals the sign of the partial derivative of its target's
    equation with respect to the source, at a healthy and at a chronic FM state."""
    from fmsim import person

    states = healthy_baseline if where == "healthy" else chronic_fm
    params = person("healthy" if where == "healthy" else "vulnerable")
    values = namespace_at(model, states, params, {"exercise": 0.5, "awakenings": 1.0})
    subs = {sp.Symbol(k): sp.Float(v) for k, v in values.items()}
    derivatives = coupling_derivatives(model)
    for c in model.couplings:
        d = float(derivatives[(c.source, c.target)].xreplace(subs))
        assert np.sign(d) == c.sign, f"{c.source}->{c.target}: d = {d:.3g}, declared {c.sign}"


@pytest.mark.parametrize("name", list(VICIOUS_CIRCLES))
def test_vicious_circles_are_reinforcing_paths_of_couplings(model, name):
    path = VICIOUS_CIRCLES[name]
    signs = {(c.source, c.target): c.sign for c in model.couplings}
    edges = list(itertools.pairwise(path))
    missing = [e for e in edges if e not in signs]
    assert not missing, f"{name}: no coupling for {missing}"
    assert np.prod([signs[e] for e in edges]) > 0, f"{name} is not reinforcing"


def test_central_sensitization_self_excitation_can_fold(registry):
    p = registry.values()
    assert p["k_C"] * p["w_CC"] / 4 > 1


def test_symbolic_and_numeric_rates_agree(model, chronic_fm):
    """The SymPy equations, evaluated variable by variable in their order, give the NumPy
    kernel's variables and rates."""
    from fmsim import person

    exprs = expressions(model)
    kernel = namespace_at(model, chronic_fm, person("vulnerable"), {"exercise": 1.0})
    given = [*model.state_names, *model.input_names, *model.parameters]
    subs = {sp.Symbol(k): sp.Float(kernel[k]) for k in given}
    for v in model.variables:
        value = float(exprs[v.name].xreplace(subs))
        assert value == pytest.approx(kernel[v.name], rel=1e-9, abs=1e-12), v.name
        subs[sp.Symbol(v.name)] = sp.Float(value)
    from fmsim.engine.inputs import prepare
    from fmsim.model import NumpyKernel

    prep = prepare(model, 1, person("vulnerable"), {"exercise": 1.0}, chronic_fm)
    rhs = NumpyKernel(model).rhs(prep.y0, prep.params, prep.inputs_on(0))[:, 0]
    for i, s in enumerate(model.state_names):
        value = float(exprs[f"d{s}/dt"].xreplace(subs))
        assert value == pytest.approx(rhs[i], rel=1e-9, abs=1e-12), s


def test_markdown_documents_every_equation_and_reference(model, registry):
    text = markdown(model, registry)
    for s in model.state_names:
        assert f"**{s}**" in text
    for key in registry.evidence:
        assert f'id="ref-{key}"' in text
    assert "not a medical device" in text


def test_malformed_registry_entries_are_refused():
    good = tomllib.loads('[s]\nx = { value = 1.0, unit = "1", description = "d", tag = '
                        '"assumed", evidence = ["k"], prior = { dist = "fixed" } }')
    assert parse_parameters(good)["x"].prior.dist == "fixed"
    bad_tag = {"s": {"x": {**good["s"]["x"], "tag": "made-up"}}}
    with pytest.raises(RegistryError, match="tag"):
        parse_parameters(bad_tag)
    no_target = {"s": {"x": {**good["s"]["x"], "tag": "calibrated"}}}
    with pytest.raises(RegistryError, match="target"):
        parse_parameters(no_target)
    out_of_bounds = {"s": {"x": {**good["s"]["x"],
                                 "prior": {"dist": "uniform", "bounds": [2.0, 3.0]}}}}
    with pytest.raises(RegistryError, match="bounds"):
        parse_parameters(out_of_bounds)


def test_committed_model_doc_is_up_to_date(model, registry):
    """docs/model-v1.md is generated from the code; regenerate it with `make docs`."""
    from pathlib import Path

    committed = Path(__file__).parents[1] / "docs" / "model-v1.md"
    assert committed.read_text(encoding="utf-8") == markdown(model, registry), (
        "docs/model-v1.md is stale: run `make docs`")
