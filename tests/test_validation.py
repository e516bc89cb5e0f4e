"""`fmsim validate`: the targets, the pass rules, and that the model produces every quantity."""

import pytest

from fmsim.validation import Target, load_targets, model_quantities


def _target(check="value", interval=(1.0, 2.0), published=1.5):
    return Target("X", "q", "m", published, "rule", interval, check)


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


@pytest.fixture(scope="module")
def small_run():
    return model_quantities(n_per_arm=10, n_general=500, seed=0)


def test_the_model_produces_every_quantity_a_target_names(small_run):
    for t in load_targets():
        assert t.model in small_run, t.id
    value, ci = small_run["trial.duloxetine:60.rr_50"]
    assert ci is None or ci[0] is None or ci[0] <= value <= ci[1]
    assert 0 <= small_run["general.prevalence"][0] <= 1


def test_the_validation_report_has_its_plot_and_table(tmp_path):
    from fmsim.cli import _validation_report

    targets = [{"id": "A0.1", "quantity": "placebo responders", "model": 0.3, "ci": None,
                "published": 0.308, "interval": [0.258, 0.358], "check": "value",
                "rule": "+-5 points", "fitted": True, "pass": True},
               {"id": "A1.32", "quantity": "NSAID RR", "model": 1.4, "ci": [1.1, 1.8],
                "published": 1.0, "interval": None, "check": "ci_contains",
                "rule": "contains 1", "fitted": False, "pass": False}]
    _validation_report({"pass_fraction": 0.5, "pass_fraction_predictions": 0.0,
                        "n_per_arm": 10, "n_general": 500, "seed": 0, "targets": targets},
                       tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64" in html and "FAIL" in html and "A1.32" in html
    assert "not a medical device" in html
