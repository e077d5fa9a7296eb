#!/usr/bin/env bash
# Create .venv at the project root and install mhqa with everything it needs.
#   bash scripts/setup.sh          # runtime + test extras
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# The CPU build of torch first: a bare "torch" requirement would otherwise pull a multi-GB CUDA build.
python -c "import torch" 2>/dev/null || python -m pip install --quiet "torch==2.13.0"
# llama-cpp-python builds from source here (~6.5 min once); pip keeps the built wheel in its cache.
python -m pip install --quiet -e ".[test]"
echo "mhqa installed in .venv ($(python -c 'import mhqa,sys; print(sys.version.split()[0])'))"
