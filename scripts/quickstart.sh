#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# README command 1: install what is missing, build, run the bundled default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
if [ -x build/smmu-replay ] && [ -f traces/default.yaml ]; then
  exec build/smmu-replay traces/default.yaml
else
  exec build/smmu-example
fi
