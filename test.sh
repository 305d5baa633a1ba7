#!/usr/bin/env bash
# The one test command: restore, build, run every test project, print "N passed, N failed, N skipped".
# Installs Debian's chromium-headless-shell for the browser tests when it is missing and apt is available, and starts
# a throwaway PostgreSQL for the persistence tests (build/postgres.sh; installs Debian's postgresql the same way).
# Without one, the PostgreSQL cases are reported as skipped.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration=${CONFIGURATION:-Debug}
results=artifacts/test-results
rm -rf "$results"
screenshot_fallbacks=artifacts/e2e/screenshot-fallbacks.log # written by the browser journeys (tests/E2E.Tests/Screenshots.cs)
rm -f "$screenshot_fallbacks"
mkdir -p "$results"

summary() { # passed failed skipped
  echo "$1 passed, $2 failed, $3 skipped"
}

# --- Chromium for the Playwright tests (Playwright's own browser download is not possible offline) ---
# Debian's chromium-headless-shell: Chromium's headless-only build, the kind Playwright itself runs for headless tests;
# the browser journeys took a quarter less CPU in it than in the full browser (docs/benchmarks.md). A full Chromium is
# used where the shell is missing and cannot be installed. CHROMIUM_PATH names another binary.
headless_shell=/usr/bin/chromium-headless-shell full_chromium=/usr/bin/chromium
chromium_path=${CHROMIUM_PATH:-}
if [ -z "$chromium_path" ] && [ ! -x "$headless_shell" ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  echo "test.sh: installing Debian's chromium-headless-shell for the browser tests"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium-headless-shell >/dev/null; } \
      && [ ! -x "$full_chromium" ]; then
    echo "test.sh: the headless shell could not be installed; installing Debian's chromium instead"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ -z "$chromium_path" ]; then
  chromium_path=$headless_shell
  [ -x "$chromium_path" ] || chromium_path=$full_chromium
fi
if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$chromium_path" ]; then
  echo "test.sh: CHROMIUM_PATH names no executable file: $chromium_path"
  summary 0 1 0
  exit 1
fi
if [ ! -x "$chromium_path" ]; then
  echo "test.sh: Chromium is needed for the browser tests and could not be installed."
  echo "         Install it (Debian/Ubuntu: sudo apt-get install chromium-headless-shell) or set CHROMIUM_PATH to a Chromium binary."
  summary 0 1 0
  exit 1
fi
export CHROMIUM_PATH="$chromium_path"
echo "test.sh: browser tests in $chromium_path"

# --- Build once ---
if ! dotnet restore Planner.sln --nologo -v quiet; then
  echo "test.sh: restore failed"; summary 0 1 0; exit 1
fi
# The compiler server compiles every project in one warm process (its analyzers loaded and compiled once): without it
# each project's compiler starts cold, which cost a third more CPU (docs/benchmarks.md). It is stopped right after.
built=0
dotnet build Planner.sln --no-restore -c "$configuration" --nologo -v quiet -clp:ErrorsOnly -p:UseSharedCompilation=true || built=1
dotnet build-server shutdown >/dev/null 2>&1 || true
if [ "$built" -ne 0 ]; then
  echo "test.sh: build failed"; summary 0 1 0; exit 1
fi

# --- A throwaway PostgreSQL on 127.0.0.1 for the persistence tests, stopped on exit ---
source build/postgres.sh
run_tmp=""
trap 'postgres_stop; [ -n "$run_tmp" ] && rm -rf "$run_tmp"' EXIT
postgres_began=$SECONDS
if postgres_start; then
  echo "test.sh: PostgreSQL ready in $((SECONDS - postgres_began)) s"
else
  echo "test.sh: no PostgreSQL: its persistence tests will be reported as skipped"
fi

# --- One temp folder for everything the tests write there (app data folders, test models, packed tools), removed on
#     exit, so that a run leaves nothing behind; build servers started from here must not outlive it ---
run_tmp=$(mktemp -d "${TMPDIR:-/tmp}/planner-test-run.XXXXXX")
export TMPDIR="$run_tmp" MSBUILDDISABLENODEREUSE=1

# --- Run every test project, one TRX file each ---
# The browser suite (E2E) waits on its app processes and Chromium much of the time, so it runs beside the other projects,
# which run one after another. It is also the longest: the classes named below run after the other projects instead
# (beside the rest of the browser suite, in a second test process), so that the two lanes end at about the same time
# rather than the browser suite running on alone. Their output is shown when they end.
status=0
run_project() { # project name [filter] -> 0 when its tests ran and passed
  local name=$2 filter=()
  [ -n "${3:-}" ] && filter=(--filter "$3")
  echo "== $name"
  local rc=0
  dotnet test "$1" --no-build -c "$configuration" --nologo "${filter[@]}" \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results" || rc=1
  if [ ! -f "$results/$name.trx" ]; then
    echo "test.sh: $name produced no results (it crashed or did not start)"
    rc=1
  fi
  return $rc
}
browser_project=tests/E2E.Tests/E2E.Tests.csproj
late_classes=(CrashSafetyTests InstalledToolTests CliTests)
late_filter=$(printf 'FullyQualifiedName~Planner.E2E.Tests.%s.|' "${late_classes[@]}"); late_filter=${late_filter%|}
early_filter=$(printf 'FullyQualifiedName!~Planner.E2E.Tests.%s.&' "${late_classes[@]}"); early_filter=${early_filter%&}
run_project "$browser_project" E2E.Tests "$early_filter" > "$results/E2E.Tests.log" 2>&1 &
browser_pid=$!
for project in tests/*.Tests/*.csproj; do # tests/TestSupport holds fixtures, no tests
  [ "$project" = "$browser_project" ] && continue
  run_project "$project" "$(basename "$project" .csproj)" || status=1
done
run_project "$browser_project" E2E.Tests.Late "$late_filter" || status=1
wait "$browser_pid" || status=1
cat "$results/E2E.Tests.log"
if [ -f "$screenshot_fallbacks" ]; then
  echo "test.sh: $(wc -l < "$screenshot_fallbacks") full-page screenshot(s) timed out and were taken at the window's size ($screenshot_fallbacks):"
  cat "$screenshot_fallbacks"
fi

# --- Count from the TRX files (one <UnitTestResult> per test or theory case), with plain shell tools ---
# (Their <Counters> element does not count skipped tests at all, so each result's outcome is counted instead.)
outcomes() { # file outcome
  grep -o "<UnitTestResult [^>]*" "$1" | grep -c " outcome=\"$2\"" || true
}
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  total=$(grep -o "<UnitTestResult " "$trx" | wc -l)
  ok=$(outcomes "$trx" Passed)
  not_run=$(( $(outcomes "$trx" NotExecuted) + $(outcomes "$trx" Inconclusive) ))
  passed=$((passed + ok))
  skipped=$((skipped + not_run))
  failed=$((failed + total - ok - not_run))
done
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
summary "${passed:-0}" "${failed:-0}" "${skipped:-0}"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]
