#!/bin/bash
# MPI checks of one run split over processes (label mpi; make test-mpi): under
# `mpirun -np 2` and `-np 3` every dataset of the output equals the one-process
# run's, with word of mouth and referrals, a Thompson campaign, the daily
# sequential analysis and the oracle's replays; a rank killed midway fails the
# whole run, leaving no output file.
# usage: run_mpi_test.sh LCLAB PYTHON COMPARE_SCRIPT SOURCE_DIR WORKDIR
set -u
LCLAB=$1 PYTHON=$2 COMPARE=$3 SRC=$4 WORK=$5
rm -rf "$WORK" && mkdir -p "$WORK"
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
fail() { echo "FAIL: $*"; exit 1; }

for config in reactivation_bandit lifecycle_programme; do
  ARGS=(run "$SRC/experiments/configs/$config.toml" --set population.size=30000 --oracle --quiet --progress never)
  "$LCLAB" "${ARGS[@]}" --threads 2 --out "$WORK/$config-1.h5" || fail "$config on one process"
  for np in 2 3; do
    "${MPIRUN[@]}" -np $np "$LCLAB" "${ARGS[@]}" --threads 1 --out "$WORK/$config-$np.h5" || fail "$config, -np $np"
    "$PYTHON" "$COMPARE" "$WORK/$config-1.h5" "$WORK/$config-$np.h5" --ignore command_line --ignore oracle_seconds ||
      fail "$config: -np $np differs from one process"
  done
done

# Kill one rank midway: the run fails and no output file appears. The run is long (3 million customers,
# about 11 s on 2 cores) and is killed a second after its ranks start, so it is midway on any machine
# that is not many times faster.
OUT="$WORK/killed.h5"
"${MPIRUN[@]}" -np 3 "$LCLAB" run "$SRC/experiments/quickstart.toml" --set population.size=3000000 --quiet \
  --progress never --threads 1 --out "$OUT" &
JOB=$!
VICTIM=""
for _ in $(seq 100); do
  VICTIM=$(pgrep -f -- "--out $OUT" | grep -v "^$JOB\$" | tail -1)
  [ -n "$VICTIM" ] && break
  sleep 0.1
done
[ -n "$VICTIM" ] || fail "no rank to kill (no rank started within 10 s)"
sleep 1
kill -0 "$VICTIM" 2>/dev/null || fail "no rank to kill (the run ended too soon)"
kill -KILL "$VICTIM"
wait $JOB && fail "the run went on after a rank was killed"
[ -e "$OUT" ] && fail "an output file was written after a rank was killed"
echo "ok: -np 2 and -np 3 match one process for reactivation_bandit and lifecycle_programme; a killed rank failed the run"
