#!/usr/bin/env bash
# Runs every fuzzing test (Category=Fuzz) for longer than ./test.sh does: bench/fuzz.sh [seconds per test, default 60].
set -euo pipefail
cd "$(dirname "$0")/.."
export PLANNER_FUZZ_SECONDS=${1:-60}
for project in $(grep -l "\"CsCheck\"" tests/*/*.csproj); do
  dotnet test "$project" --filter "Category=Fuzz" --logger "console;verbosity=normal"
done
