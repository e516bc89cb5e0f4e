"""SBML and Antimony export: libsbml consistency, and libRoadRunner reproducing FMSim."""

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, fm_model, resolve_model, sample_parameters, simulate
from fmsim.cli import app
from fmsim.interop import Export, to_antimony, to_sbml
from fmsim.interventions.catalog import Treatment, treatment_inputs

from .conftest import LASTING_PAIN, MODEL_NAMES

libsbml = pytest.importorskip("libsbml")
roadrunner = pytest.importorskip("roadrunner")

DAYS = 365


def schedule() -> dict[str, np.ndarray]:
    """A severe six-week injury and duloxetine 60 mg from day 120 to day 250."""
    inputs = treatment_inputs((Treatment.create("duloxetine:60", 120, 250),), DAYS)
    inputs["injury"] = np.zeros(DAYS)
    inputs["injury"][30:72] = 1.0
    return inputs


def runner(text: str):
    rr = roadrunner.RoadRunner(text)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    return rr


def daily_pain(rr, params: dict[str, float]) -> np.ndarray:
    rr.resetAll()
    for name, value in params.items():
        rr[name] = float(value)
    return rr.simulate(0, DAYS - 1, DAYS, selections=["pain"])[:, 0]


def test_sbml_is_consistent_and_annotated():
    text = to_sbml(Export.create(fm_model(), DAYS, inputs=schedule()))
    doc = libsbml.readSBMLFromString(text)
    assert doc.getLevel() == 3 and doc.getVersion() == 2
    doc.checkConsistency()  # every category, units included
    problems = [doc.getError(i).getMessage() for i in range(doc.getNumErrors())]
    assert not problems, problems[:3]
    m = doc.getModel()
    model = fm_model()
    assert m.getNumRules() == len(model.states) + len(model.variables)
    assert m.getNumEvents() > 2  # the injury's start and end, and the drug's daily exposure
    tau = m.getParameter("tau_CS")
    assert tau.getUnits() == "day"
    assert 'fmsim:evidence="crodelle2019"' in tau.getAnnotationString()
    assert 'fmsim:tag="calibrated"' in m.getParameter("g_CS").getAnnotationString()


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_libroadrunner_reproduces_fmsim_for_50_patients_from_the_priors(model_name):
    """The exported SBML in libRoadRunner: daily pain over 365 days within 1e-3 (relative) of
    FMSim's, for 50 people from the model's priors through an injury and a course of
    duloxetine, in both models."""
    model = resolve_model(model_name)
    inputs = schedule()
    params = sample_parameters(50, seed=2024, registry=model.registry)
    ours = simulate(model, DAYS, params, inputs, record=("pain",))["trajectory"].values[:, :, 0]
    rr = runner(to_sbml(Export.create(model, DAYS, inputs=inputs)))
    theirs = np.array([daily_pain(rr, {k: v[i] for k, v in params.items()})
                       for i in range(50)])
    rel = np.abs(theirs - ours) / np.maximum(np.abs(ours), 1e-12)
    assert rel.max() <= 1e-3, f"largest relative difference {rel.max():.2e}"
    # both outcomes compared
    assert (ours[:, -1] > LASTING_PAIN[model_name]).any() and (ours[:, -1] < 2).any()


def test_antimony_text_loads_and_matches_the_sbml():
    antimony = pytest.importorskip("antimony")
    export = Export.create(fm_model(), DAYS, {"genetic": 0.6, "early_life": 0.5},
                           inputs=schedule())
    text = to_antimony(export)
    assert "// [day] assumed; crodelle2019" in text  # unit, tag and evidence of tau_CS
    antimony.clearPreviousLoads()
    assert antimony.loadAntimonyString(text) >= 0, antimony.getLastError()
    sbml = antimony.getSBMLString(antimony.getMainModuleName())
    a = daily_pain(runner(sbml), {})
    b = daily_pain(runner(to_sbml(export)), {})
    np.testing.assert_allclose(a, b, rtol=1e-8)


def test_export_refuses_a_population():
    with pytest.raises(FMSimError, match="one parameter set"):
        Export.create(fm_model(), 10, {"genetic": np.array([0.1, 0.2])})


def test_cli_export_writes_sbml_and_refuses_unknown_formats(tmp_path):
    cli = CliRunner()
    out = tmp_path / "m.xml"
    result = cli.invoke(app, ["model", "export", "--format", "sbml", "--scenario",
                              "vulnerable-injury", "--days", "200", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = libsbml.readSBMLFromString(out.read_text())
    assert doc.getModel().getNumEvents() == 2  # the injury starts and ends
    bad = cli.invoke(app, ["model", "export", "--format", "cellml"])
    assert bad.exit_code != 0 and "sbml" in bad.output and "Traceback" not in bad.output
