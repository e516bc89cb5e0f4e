"""The clinical instruments, exactly as calibration.md section D states them (cases from E.1)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fmsim import FMSimError
from fmsim.instruments import (
    WPI_AREAS,
    acr1990,
    acr2010,
    acr2011,
    acr2016,
    fiq,
    fiqr,
    fiqr_band,
    psd_band,
    symptom_severity,
    widespread_pain_1990,
)

E17 = ["shoulder-left", "shoulder-right", "upper-leg-left", "upper-leg-right", "neck",
       "lower-back", "lower-arm-left"]
E18 = ["shoulder-left", "shoulder-right", "hip-left", "hip-right", "neck"]


def sss_of(total):
    """Answers giving a 2016 SSS of ``total`` (0-12)."""
    severities = [min(3, max(0, total - 3 * i)) for i in range(3)]
    rest = total - sum(severities)
    flags = [rest > 0, rest > 1, rest > 2]
    return dict(zip(("fatigue", "unrefreshed", "cognitive"), severities, strict=True)) | dict(
        zip(("headache", "abdominal", "depression"), flags, strict=True))


# ----- FIQR (E1.1-E1.6, E1.20)

def test_fiqr_extremes_e1_1_and_e1_2():
    assert fiqr([0] * 21).total == 0
    assert fiqr([10] * 21).total == 100


def test_fiqr_e1_3():
    r = fiqr([5] * 9 + [6, 8] + [7] * 10)
    assert (r.function, r.overall, r.symptoms, r.total) == (15.0, 14.0, 35.0, 64.0)


def test_fiqr_e1_4():
    r = fiqr([2, 3, 4, 8, 6, 3, 7, 5, 6] + [7, 9] + [8, 7, 7, 9, 5, 6, 6, 8, 4, 7])
    assert r.function == pytest.approx(44 / 3) and r.total == pytest.approx(64.17, abs=0.005)


def test_fiqr_missing_item_e1_5():
    items = [5] * 8 + [None] + [6, 8] + [7] * 10  # 8 of 9 function items, sum 40
    r = fiqr(items)
    assert r.function == pytest.approx(15.0) and r.total == pytest.approx(64.0)
    assert r.answered == 20


def test_fiqr_published_domain_means_add_up_e1_6():
    assert 17.2 + 12.7 + 34.8 == pytest.approx(64.7)  # Al-Andalus women (B2.1)
    assert abs((16.0 + 14.1 + 35.5) - 65.5) <= 0.2  # men, published 65.5


@pytest.mark.parametrize(("total", "band"), [
    (0, "remission"), (23, "remission"), (23.9, "remission"), (24, "mild"), (40, "mild"),
    (41, "moderate"), (63, "moderate"), (64, "severe"), (82, "severe"), (82.5, "very severe"),
    (84, "very severe"), (100, "very severe")])
def test_fiqr_salaffi_band_edges_e1_20(total, band):
    assert fiqr_band(total) == band


@pytest.mark.parametrize(("items", "message"), [
    ([5] * 20, "21 items; got 20"),
    ([5] * 22, "21 items; got 22"),
    ([11] + [5] * 20, "item 1 .* is 11; allowed: a number from 0 to 10"),
    ([5] * 6 + [-1] + [5] * 14, "item 7 \\(change bed sheets\\) is -1"),
    ([5] * 20 + ["x"], "item 21 .* not 'x'"),
    ([None] * 9 + [5] * 12, "function domain has no answered item"),
    ([5] * 9 + [None, None] + [5] * 10, "overall domain has no answered item"),
])
def test_fiqr_bad_input(items, message):
    with pytest.raises(FMSimError, match=message):
        fiqr(items)


item = st.integers(0, 10)


@given(st.lists(item, min_size=21, max_size=21))
def test_fiqr_total_in_range_and_sum_of_domains(items):
    r = fiqr(items)
    assert 0 <= r.total <= 100
    assert r.total == pytest.approx(r.function + r.overall + r.symptoms)
    assert 0 <= r.function <= 30 and 0 <= r.overall <= 20 and 0 <= r.symptoms <= 50


@given(st.lists(item, min_size=21, max_size=21), st.integers(0, 20))
def test_fiqr_is_monotone_in_every_item(items, index):
    if items[index] == 10:
        return
    raised = list(items)
    raised[index] += 1
    assert fiqr(raised).total > fiqr(items).total


@given(st.lists(item, min_size=21, max_size=21), st.sets(st.integers(0, 20), max_size=6))
def test_missing_item_scaling_equals_complete_score_at_the_domain_mean(items, missing):
    """Replacing each missing item by the mean of the answered items in its domain gives the
    same total as leaving it missing."""
    domains = [range(0, 9), range(9, 11), range(11, 21)]
    gapped = [None if i in missing else v for i, v in enumerate(items)]
    filled = list(gapped)
    for dom in domains:
        answered = [gapped[i] for i in dom if gapped[i] is not None]
        if not answered:
            return  # an unscorable domain is tested elsewhere
        mean = sum(answered) / len(answered)
        for i in dom:
            if filled[i] is None:
                filled[i] = mean
    assert fiqr(gapped).total == pytest.approx(fiqr(filled).total)


# ----- Original FIQ (E1.19)

def test_fiq_e1_19():
    vas = dict.fromkeys(("job_difficulty", "pain", "fatigue", "morning_tiredness", "stiffness",
                         "anxiety", "depression"), 6)
    r = fiq([1.5] * 11, felt_good_days=3, missed_work_days=2, **vas)
    assert r.total == pytest.approx(55.57, abs=0.01)
    assert r.components["physical_function"] == pytest.approx(4.995)


def test_fiq_missing_components_are_rescaled():
    r = fiq([0] * 10, felt_good_days=7, missed_work_days=None, pain=10)
    # answered: function 0, felt good 0, pain 10 -> (0 + 0 + 10) x 10 / 3
    assert r.answered == 3 and r.total == pytest.approx(100 / 3)
    with pytest.raises(FMSimError, match="sub-item 2"):
        fiq([0, 4] + [0] * 8, 3, 0)
    with pytest.raises(FMSimError, match="days felt good"):
        fiq([0] * 10, 8, 0)
    with pytest.raises(FMSimError, match="10 or 11"):
        fiq([0] * 9, 3, 0)


# ----- ACR 2016 (E1.7-E1.13)

def test_2016_e1_7_positive():
    r = acr2016(E17, **sss_of(5), months=3)
    assert r.positive and (r.wpi, r.sss, r.regions, r.psd) == (7, 5, 5, 12)


def test_2016_e1_8_and_e1_9():
    assert acr2016(E18, **sss_of(9), months=3).positive
    r = acr2016(E18, **sss_of(8), months=3)
    assert not r.positive and "SSS >= 9" in r.reasons[0]


def test_2016_e1_10_differs_from_2010_and_2011():
    areas = ["neck", "shoulder-left", "hip-right"]
    assert not acr2016(areas, **sss_of(12), months=3).positive
    assert acr2011(areas, **sss_of(12), months=3).positive
    assert acr2010(areas, fatigue=3, unrefreshed=3, cognitive=3, somatic=3, months=3).positive


def test_2016_e1_11_jaw_chest_abdomen_do_not_count_for_generalized_pain():
    areas = ["jaw-left", "jaw-right", "chest", "abdomen", "neck", "upper-back", "lower-back",
             "shoulder-left"]
    r = acr2016(areas, **sss_of(6), months=3)
    assert r.wpi == 8 and r.regions == 2 and not r.positive


def test_2016_e1_12_no_lower_limb_pain():
    areas = ["shoulder-left", "upper-arm-left", "lower-arm-left", "shoulder-right",
             "upper-arm-right", "lower-arm-right", "neck"]
    r = acr2016(areas, **sss_of(7), months=3)
    assert r.regions == 3 and not r.positive


def test_2016_e1_13_valid_irrespective_of_other_diagnoses():
    """2016 has no exclusion; 2010/2011 exclude only when another disorder explains the pain."""
    assert acr2016(E17, **sss_of(5), months=3).positive
    assert acr2011(E17, **sss_of(5), months=3).positive
    assert not acr2011(E17, **sss_of(5), months=3, explained_by_other=True).positive


def test_duration_of_three_months_is_required():
    assert not acr2016(E17, **sss_of(5), months=2).positive
    assert not acr2011(E17, **sss_of(5), months=2.9).positive


@given(st.sets(st.sampled_from(WPI_AREAS)), st.integers(0, 12), st.floats(3, 100))
def test_2016_never_positive_with_wpi_below_4_or_sss_below_5(areas, sss, months):
    r = acr2016(sorted(areas), **sss_of(sss), months=months)
    assert 0 <= r.wpi <= 19 and 0 <= r.sss <= 12 and r.psd == r.wpi + r.sss
    if r.wpi < 4 or r.sss < 5:
        assert not r.positive
    if r.positive:
        assert r.regions >= 4 and r.psd >= 12


# ----- SS, PSD and bands (E1.14-E1.17)

def test_2011_symptom_severity_e1_14():
    assert symptom_severity(2, 3, 1, headache=True, abdominal=False, depression=True) == 8


def test_psd_bands_e1_15_and_e1_16():
    assert psd_band(19, "wolfe2015") == "severe" and psd_band(19, "salaffi") == "moderate"
    edges = {3: "none", 4: "mild", 11: "moderate", 12: "severe", 19: "severe",
             20: "very severe", 31: "very severe", 0: "none", 7: "mild", 8: "moderate"}
    for psd, band in edges.items():
        assert psd_band(psd, "wolfe2015") == band
    salaffi = {5: "remission", 6: "mild", 15: "mild", 16: "moderate", 20: "moderate",
               21: "severe", 25: "severe", 26: "very severe"}
    for psd, band in salaffi.items():
        assert psd_band(psd, "salaffi") == band
    with pytest.raises(FMSimError, match="scheme"):
        psd_band(10, "mixed")
    with pytest.raises(FMSimError, match="PSD is 32"):
        psd_band(32)


def test_fs_cut_off_of_13_e1_17():
    fs12 = acr2011(E18, **sss_of(7), months=6)  # WPI 5 + SS 7
    fs13 = acr2011(E18, **sss_of(8), months=6)
    assert (fs12.psd, fs13.psd) == (12, 13)
    assert not fs12.fs_criteria_like and fs13.fs_criteria_like


# ----- ACR 1990 (E1.18)

def test_1990_e1_18():
    assert acr1990(11, widespread=True).positive
    assert not acr1990(10, widespread=True).positive
    no_axial = ["shoulder-left", "shoulder-right", "hip-left", "hip-right", "upper-leg-left"]
    assert not widespread_pain_1990(no_axial)
    assert not acr1990(14, areas=no_axial).positive
    assert acr1990(14, areas=[*no_axial, "neck"]).positive
    assert not acr1990(14, widespread=True, months=2).positive


def test_1990_low_back_counts_as_lower_segment():
    assert widespread_pain_1990(["shoulder-left", "shoulder-right", "lower-back"])


# ----- bad input names the item and its range

@pytest.mark.parametrize(("call", "message"), [
    (lambda: acr2016(["elbow-left"], **sss_of(5), months=3), "unknown area 'elbow-left'"),
    (lambda: acr2016(E17, 4, 1, 1, False, False, False, 3), "fatigue is 4; allowed: a whole"),
    (lambda: acr2016(E17, 1, 1, 1, "maybe", False, False, 3), "headache must be yes or no"),
    (lambda: acr2016(E17, **sss_of(5), months=-1), "months is -1"),
    (lambda: acr2016(E17, **sss_of(5), months=3, symptom_window="a year"), "symptom_window"),
    (lambda: acr2010(E17, 1, 1, 1, somatic=5, months=3), "somatic is 5"),
    (lambda: acr1990(19, widespread=True), "tender points is 19"),
    (lambda: acr1990(12), "widespread"),
])
def test_bad_answers_get_a_clear_error(call, message):
    with pytest.raises(FMSimError, match=message):
        call()



# the first four areas cover four regions; the rest add areas without new limb regions
AREAS_BY_WPI = ["shoulder-left", "shoulder-right", "hip-left", "hip-right", "neck",
                "upper-leg-left", "upper-leg-right", "lower-leg-left", "lower-leg-right",
                "upper-back"]


@pytest.mark.parametrize(("wpi", "sss", "rule2016", "rule2010"), [
    (7, 5, True, True), (7, 4, False, False), (6, 9, True, True), (6, 8, False, False),
    (4, 9, True, True), (3, 9, False, True), (2, 12, False, False), (10, 5, True, True),
])
def test_wpi_and_severity_thresholds_at_their_edges(wpi, sss, rule2016, rule2010):
    areas = AREAS_BY_WPI[:wpi]
    r16 = acr2016(areas, **sss_of(sss), months=3)
    assert (r16.wpi, r16.sss) == (wpi, sss)
    assert r16.positive == rule2016
    assert acr2011(areas, **sss_of(sss), months=3).positive == rule2010
