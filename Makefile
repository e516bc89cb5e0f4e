# FMSim: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fmsim demo

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=15

docs: $(STAMP)
	rm -f docs/model.md docs/model-v1.md  # committed files: fmsim replaces only its own
	$(BIN)/fmsim model doc --out docs/model.md
	$(BIN)/fmsim model doc --model fm-v1 --out docs/model-v1.md
	$(BIN)/python -m fmsim.reports.diagram docs/model-loops.png
	$(BIN)/python scripts/treatment_predictions.py --write > /dev/null
	$(BIN)/python scripts/treatment_predictions.py --model fm-v1 --write > /dev/null

bench: $(STAMP)
	cd benchmarks && ../$(BIN)/python engine_throughput.py
	cd benchmarks && ../$(BIN)/python vs_roadrunner.py
	cd benchmarks && ../$(BIN)/python population_scale.py
	cd benchmarks && ../$(BIN)/python kernel_efficiency.py
	cd benchmarks && ../$(BIN)/python trial_throughput.py
	cd benchmarks && ../$(BIN)/python sensitivity.py
	cd benchmarks && ../$(BIN)/python twin.py
	cd benchmarks && ../$(BIN)/python startup.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
