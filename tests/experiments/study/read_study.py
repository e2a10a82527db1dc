"""Reads an lclab study summary with h5py and pandas only, as a user would
(docs/output-format.md "Study summary"), and checks the documented layout and
that the leaderboard follows from the per-run values. Exit 0 on success."""
import sys

import h5py
import numpy as np
import pandas as pd


def table(group):
    cols = [c.decode() if isinstance(c, bytes) else c for c in group.attrs["columns"]]
    return pd.DataFrame({c: (group[c].asstr()[()] if h5py.check_string_dtype(group[c].dtype) else group[c][()])
                         for c in cols}, columns=cols)


def main(path):
    with h5py.File(path, "r") as f:
        assert f.attrs["layout"] == "lclab-output-7" and f.attrs["kind"] == "study"
        for key in ("study", "study_file", "base_config", "seed", "replications", "objective", "baseline", "plan"):
            assert key in f.attrs, f"missing root attribute {key}"
        runs, kpis, board = table(f["runs"]), table(f["run_kpis"]), table(f["leaderboard"])
        for name in ("points", "audit", "decisions"):
            table(f[name])
        assert len(runs) == int(f.attrs["runs"]) and (runs["status"] == "ok").all()
        # Every strategy sees the same seed in a replication.
        assert (runs.groupby("replication")["seed"].nunique() == 1).all()
        objective = f.attrs["objective"]
        per_run = kpis[kpis["kpi"] == objective]
        means = per_run.groupby(["scenario", "point", "strategy"])["value"].mean()
        for _, row in board.iterrows():
            assert np.isclose(row["mean"], means[(row["scenario"], row["point"], row["strategy"])], rtol=1e-12)
        # The paired difference from the per-run values.
        base = f.attrs["baseline"]
        wide = per_run.pivot_table(index=["scenario", "point", "replication"], columns="strategy", values="value")
        for _, row in board[~board["baseline"].astype(bool)].iterrows():
            d = (wide[row["strategy"]] - wide[base]).xs((row["scenario"], row["point"]), level=(0, 1))
            assert np.isclose(row["diff"], d.mean() if f.attrs["direction"] == "higher" else -d.mean(), rtol=1e-9)
    print(f"{path}: {len(runs)} runs, {len(board)} leaderboard rows read with h5py and pandas")


if __name__ == "__main__":
    main(sys.argv[1])
