#!/usr/bin/env bash
# Runs the fuzzing (property-based) tests of every test project for longer than ./test.sh does.
# Usage: bench/fuzz.sh [seconds per fuzz test, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
export PLANNER_FUZZ_SECONDS="${1:-60}"
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" --filter "Category=Fuzz"
done
