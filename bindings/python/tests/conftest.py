# SPDX-License-Identifier: Apache-2.0
import pytest

import smmu


@pytest.fixture
def flat():
    """16 MB of FlatMemory at PA 0."""
    return smmu.FlatMemory(16 << 20)
