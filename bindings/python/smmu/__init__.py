# SPDX-License-Identifier: Apache-2.0
"""smmuv3-sim from Python: ctypes bindings over libsmmu (the Arm SMMUv3 reference model).

Loads $SMMU_LIB, else the library installed with the package, else build/libsmmu.so of the
source tree; see docs/bindings.md.
"""
from ._lib import ABI_MAJOR, AbiMismatch, LibraryNotFound
from .core import (AccessKind, Arch, AtcInv, AtcInvResult, AtsKind, AtsStatus, Cause, Class,
                   ClosedError, Command, Completion, Config, ConfigError, Event, EventType,
                   ExternalAbort, FlatMemory, InvalKind, Irq, Memory, MsiAttr, MsiSource,
                   Outcome, PrgCode, PrgResponse, ReentrancyError, Response, Smmu, Stats, Timing,
                   presets)
from . import regs

__all__ = ["ABI_MAJOR", "AbiMismatch", "LibraryNotFound", "AccessKind", "Arch", "AtsStatus", "Cause", "Class",
           "ClosedError",
           "Command", "Config", "ConfigError", "Event", "EventType", "ExternalAbort",
           "FlatMemory", "InvalKind", "Irq", "Memory", "Outcome", "ReentrancyError", "Response",
           "Smmu", "Stats", "regs", "AtcInv", "AtcInvResult", "AtsKind", "Completion", "MsiAttr",
           "MsiSource", "PrgCode", "PrgResponse", "Timing", "presets"]
