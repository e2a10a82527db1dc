"""Reads an lclab output file with h5py and pandas only, as a user would
(docs/output-format.md), and checks the documented layout. Exit 0 on success."""
import sys

import h5py
import numpy as np
import pandas as pd


def table(group):
    """A group of equal-length column datasets as a DataFrame, in documented column order."""
    cols = [c.decode() if isinstance(c, bytes) else c for c in group.attrs["columns"]]
    data = {}
    for c in cols:
        ds = group[c]
        data[c] = ds.asstr()[()] if h5py.check_string_dtype(ds.dtype) else ds[()]
    return pd.DataFrame(data, columns=cols)


def main(path):
    with h5py.File(path, "r") as f:
        for key in ("lclab_version", "build_id", "seed", "config", "layout"):
            assert key in f.attrs, f"missing root attribute {key}"
        assert f.attrs["layout"] == "lclab-output-1"
        assert "[population]" in f.attrs["config"]
        arms = table(f["arms"])
        kpis = table(f["kpis"])
        assert len(arms) >= 2 and arms["control"].sum() == 1
        assert set(kpis["arm"]) == set(arms["name"])
        assert {"first_purchase_rate", "revenue_per_customer", "nps", "alive_rate"} <= set(kpis["kpi"])
        control = arms.loc[arms["control"] == 1, "name"].iloc[0]
        assert kpis.loc[kpis["arm"] == control, "abs_lift"].isna().all()
        stages = f["daily/stage_counts"][()]
        names = list(f["daily/stage_names"].asstr()[()])
        assert stages.shape == (len(f["daily/day"]), len(arms), len(names)), stages.shape
        assert names[0] == "prospect" and "churned" in names
        totals = stages.sum(axis=(1, 2))
        assert np.all(totals == f.attrs["population_size"]), totals[:5]
        assert np.array_equal(stages.sum(axis=(0, 2)) / stages.shape[0], arms["assigned"].to_numpy())
    print(f"ok: {path}: {len(arms)} arms, {len(kpis)} KPI rows, {stages.shape[0]} days")


if __name__ == "__main__":
    main(sys.argv[1])
