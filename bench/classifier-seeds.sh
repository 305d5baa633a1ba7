#!/usr/bin/env bash
# Every model of a classifier run side by side over several splits (docs/benchmarks.md, "Review classifier: a
# pretrained sentence encoder"): one `planner train-classifier` run per seed (the seed also draws the split), then one
# row per run with the held-out macro-F1 of GPT-2, the baseline, GPT-2's difference from the baseline with its 95%
# paired-bootstrap interval, GPT-2 and the baseline combined, the pretrained encoder, the encoder's difference from
# the baseline with its interval, and the model evidence
# uses (chosen on the run's validation texts). One run at a time.
#
#   bench/classifier-seeds.sh DATA.csv LABEL_COLUMN OUT_FOLDER "SEEDS" [planner train-classifier options...]
#
# e.g. bench/classifier-seeds.sh data/sample/reviews.csv category runs/cat "1337 7 42" --layers 2 --width 128 --heads 4 --no-domain-pretraining
# PLANNER names the planner command (default: dotnet run --project src/Cli --).
set -euo pipefail
data=${1:?usage: bench/classifier-seeds.sh DATA.csv LABEL_COLUMN OUT_FOLDER "SEEDS" [options...]}
label=${2:?label column}
out=${3:?output folder}
seeds=${4:?seeds, e.g. "1337 7 42"}
shift 4
export OMP_WAIT_POLICY=PASSIVE
planner=${PLANNER:-dotnet run --project src/Cli --}
mkdir -p "$out"
printf 'seed\tGPT-2\tbaseline\tGPT-2 - baseline (95%% CI)\tcombined\tencoder\tencoder - baseline (95%% CI)\tevidence uses\tseconds\n'
for seed in $seeds; do
  start=$(date +%s)
  $planner train-classifier --data "$data" --label-column "$label" --seed "$seed" --out "$out/$seed" "$@" > "$out/$seed.log" 2>&1 \
    || { echo "seed $seed failed; see $out/$seed.log" >&2; exit 1; }
  python3 - "$out/$seed/report.json" "$seed" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
g, b = r["classification"], r["baseline"]
d = b["encoderMacroF1Difference"]
own = b["macroF1Difference"]
print("\t".join([sys.argv[2], f"{g['macroF1']:.3f}", f"{b['report']['macroF1']:.3f}",
                 f"{own['difference']:+.3f} ({own['low']:+.3f} to {own['high']:+.3f})", f"{b['combinedReport']['macroF1']:.3f}",
                 f"{b['encoderReport']['macroF1']:.3f}", f"{d['difference']:+.3f} ({d['low']:+.3f} to {d['high']:+.3f})", b["evidenceUses"], sys.argv[3]]))
PY
done
