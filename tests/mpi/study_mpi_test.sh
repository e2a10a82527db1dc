#!/bin/bash
# MPI checks of a study (label mpi; make test-mpi): under `mpirun -np 3` the
# study summary is the one-process summary, dataset for dataset; a rank killed
# midway fails the whole job loudly (no summary) and --resume finishes it.
# usage: study_mpi_test.sh LCLAB PYTHON COMPARE_SCRIPT STUDY WORKDIR
set -u
LCLAB=$1 PYTHON=$2 COMPARE=$3 STUDY=$4 WORK=$5
rm -rf "$WORK" && mkdir -p "$WORK"
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
SETS=(--set population.size=3000 --set simulation.days=60 --set study.replications=4 --progress never --quiet)
fail() { echo "FAIL: $*"; exit 1; }
same() { "$PYTHON" "$COMPARE" "$1" "$2" --ignore command_line --ignore-dataset /runs/seconds || fail "$1 and $2 differ"; }

"$LCLAB" study "$STUDY" "${SETS[@]}" --jobs 1 --out "$WORK/one" || fail "one process"
"${MPIRUN[@]}" -np 3 "$LCLAB" study "$STUDY" "${SETS[@]}" --out "$WORK/np3" || fail "mpirun -np 3"
same "$WORK/one/summary.h5" "$WORK/np3/summary.h5"
"${MPIRUN[@]}" -np 2 "$LCLAB" study "$STUDY" "${SETS[@]}" --out "$WORK/np2" || fail "mpirun -np 2"
same "$WORK/one/summary.h5" "$WORK/np2/summary.h5"

# Kill one worker rank once it has started: the job must fail, with no summary.
BIG=(--set population.size=20000 --set simulation.days=60 --set study.replications=6 --progress never --quiet)
"$LCLAB" study "$STUDY" "${BIG[@]}" --jobs 2 --out "$WORK/big_one" || fail "one process (big)"
"${MPIRUN[@]}" -np 3 "$LCLAB" study "$STUDY" "${BIG[@]}" --out "$WORK/killed" &
JOB=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/killed/journal.tsv" ] && break
  sleep 0.05
done
VICTIM=$(pgrep -f -- "--out $WORK/killed" | grep -v "^$JOB\$" | tail -1)
[ -n "$VICTIM" ] && kill -KILL "$VICTIM"
wait $JOB && fail "the job went on after a rank was killed"
[ -e "$WORK/killed/summary.h5" ] && fail "a summary was written after a rank was killed"
"${MPIRUN[@]}" -np 3 "$LCLAB" study "$STUDY" "${BIG[@]}" --out "$WORK/killed" --resume || fail "resume under mpirun"
same "$WORK/big_one/summary.h5" "$WORK/killed/summary.h5"
echo "ok: mpirun -np 2 and -np 3 match one process; a killed rank failed the job and --resume finished it"
