#!/usr/bin/env bash
# The review classifier's variants against the baseline on one labelled CSV (docs/benchmarks.md, "Review classifier:
# defaults, domain-adaptive pretraining and a public text set"): the GPT-2 classifier from scratch and after
# domain-adaptive pretraining, each run beside the baseline on the same held-out split, one run at a time.
#
#   bench/classifier-variants.sh DATA.csv LABEL_COLUMN OUT_FOLDER [planner train-classifier options...]
#
# e.g. bench/classifier-variants.sh data/sample/reviews.csv sentiment runs/bench --layers 2 --width 128 --heads 4
# PLANNER names the planner command (default: dotnet run --project src/Cli --).
set -euo pipefail
data=${1:?usage: bench/classifier-variants.sh DATA.csv LABEL_COLUMN OUT_FOLDER [options...]}
label=${2:?label column}
out=${3:?output folder}
shift 3
export OMP_WAIT_POLICY=PASSIVE
planner=${PLANNER:-dotnet run --project src/Cli --}
mkdir -p "$out"
for variant in scratch domain; do
  extra=()
  [ "$variant" = scratch ] && extra=(--no-domain-pretraining)
  start=$(date +%s)
  $planner train-classifier --data "$data" --label-column "$label" --out "$out/$variant" "${extra[@]}" "$@" > "$out/$variant.log" 2>&1
  echo "$variant $(( $(date +%s) - start )) s"
  python3 - "$out/$variant/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
g, b = r["classification"], r["baseline"]
def ci(d): return f"{d['difference']:+.3f} ({d['low']:+.3f} to {d['high']:+.3f})"
print(f"  GPT-2    accuracy {g['accuracy']:.3f}  macro-F1 {g['macroF1']:.3f}")
print(f"  baseline accuracy {b['report']['accuracy']:.3f}  macro-F1 {b['report']['macroF1']:.3f}")
print(f"  GPT-2 - baseline: accuracy {ci(b['accuracyDifference'])}, macro-F1 {ci(b['macroF1Difference'])}")
c = b.get("combinedReport")
if c:
    print(f"  combined accuracy {c['accuracy']:.3f}  macro-F1 {c['macroF1']:.3f}")
    print(f"  combined - baseline: accuracy {ci(b['combinedAccuracyDifference'])}, macro-F1 {ci(b['combinedMacroF1Difference'])}")
v = b.get("validation")
if v:
    print(f"  validation ({v['examples']}) macro-F1: GPT-2 {v['gpt2']['macroF1']:.3f}, baseline {v['baseline']['macroF1']:.3f}, combined {v['combined']['macroF1']:.3f}")
print(f"  evidence uses {b['evidenceUses']}")
PY
done
