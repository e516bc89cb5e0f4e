"""The parameter and evidence registries (``parameters.toml`` and ``evidence.toml``).

Every parameter of a model has a value, a unit, a prior (for virtual populations), evidence keys
and an honesty tag; every evidence key resolves to a citation. ``fmsim model params`` prints this
registry and ``fmsim model doc`` renders it next to the equations.

Tags
----
``verified``
    the value was read in the cited source.
``background``
    the value is background knowledge consistent with the cited sources, not read in them.
``assumed``
    a modelling choice: the cited source supports the mechanism (and sign), not the number.
``calibrated``
    fitted; ``target`` names the calibration target.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import FMSimError

__all__ = [
    "TAGS",
    "Evidence",
    "ParameterInfo",
    "Prior",
    "Registry",
    "RegistryError",
    "load_registry",
    "packaged_parameters",
]

TAGS = ("verified", "background", "assumed", "calibrated")
PRIOR_KINDS = ("fixed", "uniform", "beta", "lognormal", "bernoulli")


class RegistryError(FMSimError):
    """A registry file is malformed or inconsistent."""


@dataclass(frozen=True)
class Prior:
    """Distribution of a parameter across virtual people, truncated to ``bounds``.

    Parameters
    ----------
    dist : {"fixed", "uniform", "beta", "lognormal", "bernoulli"}
        ``fixed``: every person has the registry value. ``uniform``: uniform on ``bounds``.
        ``beta``: Beta(a, b) scaled to ``bounds``. ``lognormal``: median at the registry value,
        log-standard deviation ``sigma``, truncated to ``bounds``. ``bernoulli``: 1 with
        probability ``p``, else 0.
    bounds : tuple of float
        Lowest and highest value any virtual person can have.
    a, b, sigma, p : float
        Shape parameters of the distributions that use them.
    """

    dist: str
    bounds: tuple[float, float]
    a: float = 1.0
    b: float = 1.0
    sigma: float = 0.0
    p: float = 0.5

    @property
    def varies(self) -> bool:
        """True when people differ in this parameter."""
        return self.dist != "fixed" and self.bounds[0] < self.bounds[1]


@dataclass(frozen=True)
class ParameterInfo:
    """One registry entry: a parameter's value, unit, prior, evidence and tag."""

    name: str
    value: float
    unit: str
    description: str
    subsystem: str
    prior: Prior
    evidence: tuple[str, ...]
    tag: str
    target: str = ""


@dataclass(frozen=True)
class Evidence:
    """One citation: ``key`` -> authors, year, title, where it appeared and its DOI (if any)."""

    key: str
    authors: str
    year: int | str  # "n.d." when the year was not seen
    title: str
    source: str = ""
    doi: str = ""
    note: str = ""

    def citation(self) -> str:
        """Short human-readable citation with the DOI when known."""
        text = f"{self.authors} ({self.year}). {self.title}."
        if self.source:
            text += f" {self.source}."
        if self.doi:
            text += f" doi:{self.doi}"
        return text


@dataclass(frozen=True)
class Registry:
    """Parameters and evidence, loaded together so that references can be checked."""

    parameters: dict[str, ParameterInfo] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def values(self) -> dict[str, float]:
        """Default value of every parameter."""
        return {name: info.value for name, info in self.parameters.items()}

    def missing_evidence(self) -> list[tuple[str, str]]:
        """(parameter, key) pairs whose evidence key is not in the evidence registry."""
        return [
            (name, key)
            for name, info in self.parameters.items()
            for key in info.evidence
            if key not in self.evidence
        ]


def _parse_prior(name: str, value: float, raw: Any) -> Prior:
    if raw is None:
        raise RegistryError(f"parameter {name!r} has no prior")
    dist = raw.get("dist", "fixed")
    if dist not in PRIOR_KINDS:
        raise RegistryError(f"parameter {name!r}: prior dist {dist!r} is not one of {PRIOR_KINDS}")
    if dist == "fixed":
        return Prior("fixed", (value, value))
    bounds = raw.get("bounds")
    if bounds is None and dist in ("beta", "bernoulli"):
        bounds = [0.0, 1.0]
    if bounds is None or len(bounds) != 2 or not bounds[0] <= value <= bounds[1]:
        raise RegistryError(
            f"parameter {name!r}: prior bounds {bounds!r} must be [low, high] around value {value}"
        )
    return Prior(
        dist,
        (float(bounds[0]), float(bounds[1])),
        a=float(raw.get("a", 1.0)),
        b=float(raw.get("b", 1.0)),
        sigma=float(raw.get("sigma", 0.0)),
        p=float(raw.get("p", 0.5)),
    )


def parse_parameters(data: dict[str, Any]) -> dict[str, ParameterInfo]:
    """Parse the ``parameters.toml`` table: ``[subsystem] name = {value, unit, ...}``."""
    out: dict[str, ParameterInfo] = {}
    for subsystem, table in data.items():
        for name, raw in table.items():
            if name in out:
                raise RegistryError(f"parameter {name!r} is defined twice")
            missing = {"value", "unit", "description", "evidence", "tag"} - set(raw)
            if missing:
                raise RegistryError(f"parameter {name!r} lacks {sorted(missing)}")
            if raw["tag"] not in TAGS:
                raise RegistryError(f"parameter {name!r}: tag {raw['tag']!r} is not one of {TAGS}")
            if raw["tag"] == "calibrated" and not raw.get("target"):
                raise RegistryError(f"calibrated parameter {name!r} must name its target")
            value = float(raw["value"])
            out[name] = ParameterInfo(
                name=name,
                value=value,
                unit=str(raw["unit"]),
                description=str(raw["description"]),
                subsystem=subsystem,
                prior=_parse_prior(name, value, raw.get("prior")),
                evidence=tuple(raw["evidence"]),
                tag=str(raw["tag"]),
                target=str(raw.get("target", "")),
            )
    return out


def parse_evidence(data: dict[str, Any]) -> dict[str, Evidence]:
    """Parse the ``evidence.toml`` table: ``[key] authors, year, title, source, doi, note``."""
    out = {}
    for key, raw in data.items():
        missing = {"authors", "year", "title"} - set(raw)
        if missing:
            raise RegistryError(f"evidence {key!r} lacks {sorted(missing)}")
        out[key] = Evidence(key=key, **{k: raw[k] for k in raw})
    return out


def _read_toml(path: Path | None, default_name: str, package: str = "fmsim.model") -> dict:
    if path is None:
        text = resources.files(package).joinpath(default_name).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return tomllib.loads(text)


@cache
def packaged_parameters(package: str, name: str) -> dict[str, ParameterInfo]:
    """A parameter table shipped in ``package`` (same schema as ``parameters.toml``), e.g. the
    measurement model's ``fmsim.instruments`` / ``measurement.toml``."""
    return parse_parameters(_read_toml(None, name, package))


def _load(parameters: Path | None = None, evidence: Path | None = None) -> Registry:
    return Registry(
        parameters=parse_parameters(_read_toml(parameters, "parameters.toml")),
        evidence=parse_evidence(_read_toml(evidence, "evidence.toml")),
    )


def load_registry(parameters: Path | None = None, evidence: Path | None = None) -> Registry:
    """Load the parameter and evidence registries.

    Parameters
    ----------
    parameters, evidence : path, optional
        Alternative files; by default the registries shipped with FMSim.

    Returns
    -------
    Registry
    """
    if parameters is None and evidence is None:
        return _cached_default()
    return _load(parameters, evidence)


@cache
def _cached_default() -> Registry:
    return _load()


@cache
def derived_registry(name: str) -> Registry:
    """The shipped registry changed by the packaged file ``name`` (same schema as
    ``parameters.toml``, plus a top-level ``removed = [...]`` of parameters the derived model
    no longer has): what a model built from another declares of its own.

    Raises
    ------
    RegistryError
        If a removed name is not a parameter of the shipped registry.
    """
    base = _cached_default()
    data = _read_toml(None, name)
    removed = set(data.pop("removed", []))
    unknown = sorted(removed - set(base.parameters))
    if unknown:
        raise RegistryError(f"{name}: removed parameter(s) {unknown} are not in parameters.toml")
    kept = {k: v for k, v in base.parameters.items() if k not in removed}
    return Registry(parameters={**kept, **parse_parameters(data)}, evidence=base.evidence)
