#!/usr/bin/env bash
# Asks the planner the 30 scenario questions of tests/Planner.Tests/Scenarios/ScenarioQuestions.tsv through
# `planner ask --json`, with the model given (or none), in a fresh data directory holding the sample workspace, and
# counts how many produce the expected scenario changes. Needs jq and a built CLI (dotnet build -c Release src/Cli).
#
#   bench/ask-questions.sh [model.gguf]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli="$root/src/Cli/bin/Release/net10.0/planner"
[ -x "$cli" ] || { echo "Build the CLI first: dotnet build -c Release src/Cli" >&2; exit 2; }
model=${1:-}
[ -z "$model" ] || [ -f "$model" ] || { echo "No such model file: $model" >&2; exit 2; }
data=$(mktemp -d); trap 'rm -rf "$data"' EXIT
export OMP_WAIT_POLICY=PASSIVE

right=0; total=0; tools=0
while IFS=$'\t' read -r question expected; do
  [[ -z "$question" || "$question" == \#* ]] && continue
  total=$((total + 1))
  args=(ask "$question" --json --data-dir "$data")
  [ -n "$model" ] && args+=(--model "$model")
  start=$(date +%s.%N)
  json=$("$cli" "${args[@]}" 2>/dev/null) || json='{}'
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  got=$(jq -r '[.scenario.changes // [] | .[]] | join(" | ")' <<<"$json")
  calls=$(jq -r '[.toolCalls // [] | .[] | .tool] | length' <<<"$json")
  checked=$(jq -r 'if .modelCallsTools == null then "null" else .modelCallsTools end' <<<"$json")
  [ "$calls" -gt 0 ] && tools=$((tools + 1))
  if [ "$got" == "$expected" ]; then right=$((right + 1)); mark=right; else mark=WRONG; fi
  printf '%-5s %5.1fs  tools=%s  modelCallsTools=%s  %s\n        expected: %s\n        got:      %s\n' \
    "$mark" "$seconds" "$calls" "$checked" "$question" "$expected" "$got"
done < "$root/tests/Planner.Tests/Scenarios/ScenarioQuestions.tsv"
echo "model: ${model:-none}"
echo "$right of $total questions produced the expected scenario ($tools answers made tool calls)"
