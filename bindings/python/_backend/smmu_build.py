# SPDX-License-Identifier: Apache-2.0
"""A PEP 517 build backend that needs nothing but the standard library.

It builds one wheel: the smmu package plus libsmmu.so, taken from $SMMU_LIB or
the source tree's build/libsmmu.so (build it first with scripts/build.sh).
"""
from __future__ import annotations

import base64
import hashlib
import os
import sysconfig
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # bindings/python


def _meta() -> tuple[str, str, str]:
    p = tomllib.loads((HERE / "pyproject.toml").read_text())["project"]
    return p["name"], p["version"], p["requires-python"]


def _library() -> Path:
    tried = []
    if os.environ.get("SMMU_LIB"):
        tried.append(Path(os.environ["SMMU_LIB"]))
    tried.append(HERE.parent.parent / "build" / "libsmmu.so")
    for p in tried:
        if p.is_file():
            return p
    raise RuntimeError("libsmmu.so not found (tried " + ", ".join(map(str, tried)) + "): "
                       "build the library first (bash scripts/build.sh) or set SMMU_LIB")


def _tag() -> str:
    return "py3-none-" + sysconfig.get_platform().replace("-", "_").replace(".", "_")


def _metadata_files(name: str, version: str, requires: str) -> dict[str, bytes]:
    return {
        "METADATA": (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                     f"Summary: ctypes bindings for smmuv3-sim\nRequires-Python: {requires}\n").encode(),
        "WHEEL": (f"Wheel-Version: 1.0\nGenerator: smmu_build\nRoot-Is-Purelib: false\n"
                  f"Tag: {_tag()}\n").encode(),
    }


def get_requires_for_build_wheel(config_settings=None):
    """Nothing: the standard library is enough."""
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    """Write the .dist-info directory (METADATA, WHEEL)."""
    name, version, requires = _meta()
    d = Path(metadata_directory) / f"{name}-{version}.dist-info"
    d.mkdir(parents=True, exist_ok=True)
    for fn, data in _metadata_files(name, version, requires).items():
        (d / fn).write_bytes(data)
    return d.name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """The wheel: smmu/*.py, smmu/py.typed, smmu/libsmmu.so and the .dist-info."""
    name, version, requires = _meta()
    files: dict[str, bytes] = {}
    for p in sorted((HERE / "smmu").iterdir()):
        if p.suffix in (".py", ".typed"):
            files[f"smmu/{p.name}"] = p.read_bytes()
    files["smmu/libsmmu.so"] = _library().read_bytes()
    info = f"{name}-{version}.dist-info"
    for fn, data in _metadata_files(name, version, requires).items():
        files[f"{info}/{fn}"] = data
    record = []
    for arc, data in files.items():
        h = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arc},sha256={h},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    whl = f"{name}-{version}-{_tag()}.whl"
    with zipfile.ZipFile(Path(wheel_directory) / whl, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in files.items():
            zi = zipfile.ZipInfo(arc, date_time=(2020, 1, 1, 0, 0, 0))
            zi.external_attr = (0o755 if arc.endswith(".so") else 0o644) << 16
            z.writestr(zi, data, zipfile.ZIP_DEFLATED)
    return whl
