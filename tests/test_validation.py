"""`fmsim validate`: the targets, the pass rules, and a small validation run end to end."""

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from fmsim import FMSimError, ValidationSpec, resolve_model, run_validation
from fmsim.cli import app
from fmsim.reports import write_validation
from fmsim.stats import risk_ratio_at
from fmsim.studies.validation import (
    DRUG_ARMS,
    DULOXETINE_ARMS,
    EXERCISE_ARMS,
    OPIOID_ARMS,
    Quantity,
    Target,
    load_targets,
)

QUANTITY = Quantity("drug", "responders_30", arm="placebo")


def _target(check="value", interval=(1.0, 2.0), published=1.5):
    return Target("X", "q", QUANTITY, published, "rule", interval, check)


def test_pass_rules():
    assert _target().passes(1.0, None) and _target().passes(2.0, None)
    assert not _target().passes(2.01, None) and not _target().passes(None, None)
    contains = _target("ci_contains", None, 1.0)
    assert contains.passes(1.3, (0.8, 1.9)) and not contains.passes(1.6, (1.1, 2.2))
    assert not contains.passes(1.3, (None, 1.9))
    assert _target("ci_above", None, 0.0).passes(0.5, (0.1, 0.9))
    assert not _target("ci_above", None, 0.0).passes(0.5, (-0.1, 0.9))
    assert _target("ci_below", None, 0.0).passes(-0.5, (-0.9, -0.1))
    assert _target("ci_not_below", None, 0.0).passes(-0.3, (-0.6, 0.0))
    assert not _target("ci_not_below", None, 0.0).passes(-0.5, (-0.9, -0.1))


def test_targets_cover_calibration_e3():
    targets = load_targets()
    ids = {t.id.split()[0] for t in targets}
    # E.3: placebo, pregabalin, duloxetine, SNRI class, NSAIDs, exercise, cohorts, prevalence,
    # opioids, cytokines, pressure pain thresholds, TSPO, muscle blood flow
    for needed in ("A0.1", "A0.2", "A0.6", "A0.7", "A1.5", "A1.6", "A1.13", "A1.15", "A1.16",
                   "A1.20", "A1.32", "A3.2", "A3.3", "A4.3", "A5.1", "A5.8", "A5.10", "B1.5",
                   "B1.7", "B2.1", "B2.3", "B3.1", "C1.1", "C2.3", "C2.4", "C2.5", "C4.6",
                   "C5.1"):
        assert needed in ids, needed
    assert len({t.id for t in targets}) == len(targets)
    for t in targets:
        if t.interval:
            assert t.interval[0] <= t.published <= t.interval[1], t.id
        # every published value names where it comes from, not by reference to another row
        assert len(t.source) > 20 and not re.match(r"(same|see)\b", t.source), t.id


@pytest.mark.parametrize("raw", [
    {"study": "drug", "arm": "placebo", "field": "respondents_30"},  # a typo
    {"study": "trial", "arm": "placebo", "field": "responders_30"},
    {"study": "general", "field": "fiqr"},  # a baseline score needs its group
    {"study": "phenotype", "field": "prevalence"},
    {"study": "drug", "arm": "placebo", "field": "pain_change"},  # a change needs vs and week
    {"study": "drug", "arms": ["aerobic"], "field": "responders_30"},  # means of estimates only
    {"arm": "placebo"},
    {"study": "general", "field": "fiqr", "group": "fm", "statistic": "mode"},
    {"study": "general", "field": "prevalence", "statistic": "median"},  # no distribution
    {"study": "general", "field": "prevalence", "at_least": 4},
    {"study": "drug", "arm": "placebo", "field": "responders_30", "statistic": "median"},
    {"study": "duloxetine", "arm": "duloxetine:20", "field": "smd_pain", "sizes": [79, 144]},
    {"study": "duloxetine", "arm": "duloxetine:20", "field": "rr_50", "sizes": [79]},
    {"study": "duloxetine", "arm": "duloxetine:20", "field": "rr_50", "sizes": [0, 144]},
])
def test_a_target_must_name_a_quantity_of_the_results(raw):
    with pytest.raises(FMSimError, match="target T"):
        Quantity.parse(raw, "target T")


@pytest.fixture(scope="module")
def small():
    return run_validation(ValidationSpec(n_per_arm=10, n_general=500, seed=0))


def test_every_target_is_read_from_the_study_results(small):
    """Each target's value is the quantity of the study result it names, and its verdict is
    its rule applied to that value."""
    studies = small.studies
    by_id = {t.target.id: t for t in small.targets}
    assert len(by_id) == len(load_targets())
    assert by_id["A0.1"].value == studies.drug.arm("placebo").responders_30
    # duloxetine's targets come from its own trial, read at the visits as its trials read pain
    assert (studies.drug.spec.reading, studies.duloxetine.spec.reading) == ("diary", "visit")
    assert by_id["A0.10-11"].value == studies.duloxetine.arm("placebo").pain_change_mean
    rr = studies.duloxetine.comparison("duloxetine:60").rr_50
    assert by_id["A1.13 RR"].value == pytest.approx(rr.value)
    assert by_id["A1.13 RR"].ci == pytest.approx(rr.interval)
    pregabalin, placebo = studies.drug.arm("pregabalin:300"), studies.drug.arm("placebo")
    # A1.16: the interval of a trial of Russell 2008's size at the model's response rates
    at_size = risk_ratio_at(studies.duloxetine.arm("duloxetine:20").responders_50, 79,
                            studies.duloxetine.arm("placebo").responders_50, 144)
    assert by_id["A1.16"].ci == pytest.approx(at_size.interval, nan_ok=True)
    # A1.15: 120 against 60 mg (not placebo) at the size of the two trials that compared them
    at_size = risk_ratio_at(studies.duloxetine.arm("duloxetine:120").responders_50, 263,
                            studies.duloxetine.arm("duloxetine:60").responders_50, 268)
    assert by_id["A1.15"].ci == pytest.approx(at_size.interval, nan_ok=True)
    assert by_id["A3.1 300"].value == pytest.approx(pregabalin.any_ae - placebo.any_ae)
    assert by_id["B3.1"].value == pytest.approx(studies.general.prevalence)
    assert by_id["B1.5"].value == pytest.approx(10 * studies.cohort.pain_mean)
    fm, no_fm = (studies.general.group(g) for g in ("fm", "no_fm"))
    fiqr, psd = (studies.general.patients[k].values for k in ("fiqr", "psd"))
    assert by_id["B2.10"].value == pytest.approx(np.median(fiqr[fm]))
    q25, q75 = np.percentile(fiqr[fm], [25, 75])
    assert by_id["B2.10 IQR"].value == pytest.approx(q75 - q25)
    assert by_id["D.5"].value == pytest.approx((psd[no_fm] >= 4).mean())
    assert by_id["B5.1"].value == pytest.approx(
        studies.general.patients["pain_sd"].values[fm].mean())
    mean_g = sum(studies.exercise.comparison(a).smd_pain.value
                 for a in ("aerobic", "resistance", "aquatic")) / 3
    assert by_id["A5.8"].value == pytest.approx(mean_g)
    for t in small.targets:
        if t.target.model.field == "nnt_50" and t.value is None:  # no benefit: no NNT
            trial = getattr(studies, t.target.model.study)
            arm = trial.arm(t.target.model.arm)
            assert arm.responders_50 <= trial.arm("placebo").responders_50
            continue
        assert t.value is not None, t.target.id
        assert t.passes == t.target.passes(t.value, t.ci)
    payload = small.to_dict()
    assert payload["pass_fraction"] == pytest.approx(
        sum(t["pass"] for t in payload["targets"]) / len(payload["targets"]))
    assert json.loads(json.dumps(payload)) == payload


def test_a_target_fitted_for_one_model_is_a_prediction_for_the_others(small):
    """``fitted = ["fm-v2"]`` in targets.toml: fitted when validating v2 (the default), predicted
    for v1."""
    a43 = next(t for t in load_targets() if t.id == "A4.3")
    assert a43.fitted_in("fm-v2") and not a43.fitted_in("fm-v1")
    assert a43.fitted_in(resolve_model("fm-v2")) and a43.fitted_in(None)
    v1 = run_validation(ValidationSpec(n_per_arm=10, n_general=500, seed=0), model="fm-v1")
    for result, model in ((small, "fm-v2"), (v1, "fm-v1")):
        assert all(t.target.fitted_in(model) == t.fitted for t in result.targets)
        b31 = next(t for t in result.targets if t.target.id == "B3.1")
        assert b31.fitted and b31.to_dict()["fitted"]
        a43_read = next(t for t in result.targets if t.target.id == "A4.3")
        assert a43_read.to_dict()["fitted"] == (model == "fm-v2")


def test_the_validation_report_has_its_plot_and_table(small, tmp_path):
    write_validation(small, tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64" in html and "A1.32" in html
    assert ("FAIL" in html) == (small.pass_fraction < 1)
    assert "not a medical device" in html
    assert "Sources of the published values" in html and "Arnold LM et al. 2005" in html
    assert json.loads((tmp_path / "result.json").read_text()) == small.to_dict()


def test_validate_refuses_sizes_out_of_range():
    result = CliRunner().invoke(app, ["validate", "--n", "3"])
    assert result.exit_code == 2 and "--n" in result.output


def test_every_target_names_arms_of_its_own_trial():
    """A target moved between trials (duloxetine's to the visit-read trial) must name arms that
    trial has; otherwise it would fail only after a whole validation run."""
    arms = {"drug": DRUG_ARMS, "duloxetine": DULOXETINE_ARMS, "exercise": EXERCISE_ARMS,
            "opioid": OPIOID_ARMS}
    for target in load_targets():
        q = target.model
        if q.study in arms:
            assert {q.arm, q.vs, *q.arms} - {None} <= set(arms[q.study]), target.id
