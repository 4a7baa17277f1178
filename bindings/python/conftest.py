# SPDX-License-Identifier: Apache-2.0
# In-place runs (python3 -m pytest bindings/python): import the package from this tree.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
