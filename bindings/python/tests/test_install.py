# SPDX-License-Identifier: Apache-2.0
"""Offline install with the in-tree PEP 517 backend (pyproject.toml: requires = [])."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smmu import _lib

PKG = Path(__file__).resolve().parents[1]


def test_pip_install_offline(tmp_path):
    """venv + pip install --no-index: the wheel carries libsmmu.so; import from elsewhere and
    translate (GBPA default: abort when SMMUEN = 0, 3.11)."""
    venv = tmp_path / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["SMMU_LIB"] = _lib.lib._smmu_path
    subprocess.run([str(venv / "bin/pip"), "install", "-q", "--no-index", str(PKG)], check=True,
                   env=env, capture_output=True)
    env.pop("SMMU_LIB")
    out = subprocess.run(
        [str(venv / "bin/python"), "-c",
         "import smmu; s = smmu.Smmu(); r = s.translate(0, 0x1000); "
         "print(smmu._lib.lib._smmu_path, r.outcome.name)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out[0].startswith(str(venv)) and out[0].endswith("smmu/libsmmu.so")
    assert out[1] == "ABORT"


def test_backend_without_library_says_build_first(tmp_path, monkeypatch):
    """No $SMMU_LIB and no build/libsmmu.so: the backend fails saying to build first."""
    sys.path.insert(0, str(PKG / "_backend"))
    try:
        import smmu_build
    finally:
        sys.path.pop(0)
    monkeypatch.delenv("SMMU_LIB", raising=False)
    monkeypatch.setattr(smmu_build, "HERE", tmp_path / "a" / "b")
    with pytest.raises(RuntimeError, match="build the library first"):
        smmu_build._library()
