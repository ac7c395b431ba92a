# The two commands of the README: `make run` and `make test`. Both set up everything first.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup services run test bench bench-scale bench-render bench-quality bench-diagrams clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $(STAMP)

services:
	bash scripts/services.sh

run: setup
	$(VENV)/bin/paperbanana serve

test: setup services
	$(PY) -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(PY) bench/api_load.py

bench-scale: setup services
	$(PY) bench/scale_out.py

bench-render: setup
	$(VENV)/bin/pip install -q matplotlib
	$(PY) bench/render.py

bench-quality: setup
	$(PY) bench/plot_quality.py

bench-diagrams: setup
	$(PY) bench/diagram_quality.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
