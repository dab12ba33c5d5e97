# OpsLab: `make lab` opens the curriculum (Chinese; `make lab-en` for English),
# `make test` runs every check.
# Each target creates .venv (pinned by constraints.txt) when it is missing or stale.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-current-env -p no:python --nbval-cell-timeout=120 \
          --nbval-sanitize-with tests/nbval_sanitize.cfg
WORKERS ?= 2
# Jupyter refuses to run as root (containers, CI boxes) unless told
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
# every edition: 中文 and English, trainee and solution (see opshelpers/notebooks.py)
EDITIONS := notebooks/zh/*.ipynb notebooks/zh/solutions/*.ipynb \
            notebooks/en/*.ipynb notebooks/en/solutions/*.ipynb

.PHONY: lab lab-en test unit nbval notebooks data data-regenerate bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(PY) -c "import matplotlib.pyplot"   # build the font cache now, not inside a notebook
	touch $(STAMP)

data: $(STAMP)
	$(PY) -m opshelpers data sample

lab: data
	$(VENV)/bin/jupyter lab $(LAB_FLAGS) notebooks/zh/00_start_here.ipynb

lab-en: data
	$(VENV)/bin/jupyter lab $(LAB_FLAGS) notebooks/en/00_start_here.ipynb

test: data
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup
	$(PY) -m pytest -n $(WORKERS) --dist loadscope $(NBVAL) $(EDITIONS)

unit: data
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup

nbval: data
	$(PY) -m pytest -n $(WORKERS) --dist loadscope $(NBVAL) $(EDITIONS)

# After changing opshelpers.synth: rewrite data/ and its manifest, then the notebooks.
data-regenerate: $(STAMP)
	$(PY) -m opshelpers data sample --force
	$(PY) -m opshelpers data dictionary

# Write every edition from its source and execute it (commit the result).
notebooks: data
	$(PY) -m opshelpers notebooks build

bench: $(STAMP)
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data/*.csv
