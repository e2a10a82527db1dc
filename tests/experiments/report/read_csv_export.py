#!/usr/bin/env python3
"""Reads every CSV `lclab export` wrote with pandas and checks it against the HDF5 file it came from:
every table has its columns and rows with the same values, and every array's long file holds each cell
once, with labelled axes (docs/output-format.md "CSV export")."""
import os
import sys

import h5py
import numpy as np
import pandas as pd


def stem(group):
    return group.strip("/").replace("/", ".")


def main(h5_path, folder):
    files = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
    # round_trip: pandas' default float parser can be 1 ulp off the shortest representation the CSV holds.
    frames = {f[:-4]: pd.read_csv(os.path.join(folder, f), keep_default_na=False, na_values=["NaN"],
                                  float_precision="round_trip") for f in files}
    tables = 0
    with h5py.File(h5_path) as h5:
        def visit(name, obj):
            nonlocal tables
            if isinstance(obj, h5py.Group) and "columns" in obj.attrs:
                tables += 1
                columns = [c.decode() if isinstance(c, bytes) else c for c in obj.attrs["columns"]]
                df = frames[stem(name)]
                assert list(df.columns) == columns, (name, list(df.columns), columns)
                for c in columns:
                    stored = obj[c]
                    assert len(df) == stored.shape[0], (name, c)
                    if h5py.check_string_dtype(stored.dtype):
                        assert list(df[c].astype(str)) == [s for s in stored.asstr()[()]], (name, c)
                    else:
                        assert np.allclose(df[c].to_numpy(dtype=float), stored[()].astype(float), equal_nan=True,
                                           rtol=0, atol=0), (name, c)
        h5.visititems(visit)
        assert tables > 0
        if "daily" in h5:
            daily = h5["daily"]
            by_group = frames["daily.by_day_group"]
            days, groups = daily["visits"].shape
            assert len(by_group) == days * groups
            groups_named = set(daily["group_names"].asstr()[()])
            assert set(by_group["group"]) <= groups_named, set(by_group["group"])
            assert by_group["visits"].sum() == daily["visits"][()].sum()
            stages = frames["daily.by_day_group_stage"]
            assert set(stages["stage"]) == set(daily["stage_names"].asstr()[()])
            assert stages["stage_counts"].sum() == daily["stage_counts"][()].sum()
            cells = frames["daily.by_day_cell"]
            assert {"campaign", "arm", "opens"} <= set(cells.columns)
            assert cells["opens"].sum() == daily["opens"][()].sum()
    print(f"read {len(files)} CSV files ({tables} tables) with pandas: they match {h5_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
