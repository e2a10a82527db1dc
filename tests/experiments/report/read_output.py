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
        for key in ("lclab_version", "build_id", "seed", "config", "layout", "campaigns"):
            assert key in f.attrs, f"missing root attribute {key}"
        assert f.attrs["layout"] == "lclab-output-7"
        assert "[population]" in f.attrs["config"]
        names = list(f.attrs["campaigns"])
        assert names, "no campaigns"
        customers = int(f.attrs["population_size"])
        n_arms = 0
        for name in names:
            g = f["campaigns"][name]
            arms = table(g["arms"])
            kpis = table(g["kpis"])
            n_arms += len(arms)
            assert len(arms) >= 2 and arms["control"].sum() == 1
            assert set(kpis["arm"]) == set(arms["name"])
            assert {"goal_conversion_rate", "first_purchase_rate", "net_revenue_per_customer", "nps",
                    "alive_rate", "open_rate", "unsubscribed_rate", "signup_rate"} <= set(kpis["kpi"])
            # Every interval lies in its KPI's range.
            inside = kpis["ci_low"].isna() | ((kpis["ci_low"] >= kpis["range_low"]) & (kpis["ci_high"] <= kpis["range_high"]))
            assert inside.all(), kpis.loc[~inside, ["kpi", "arm", "ci_low", "ci_high"]]
            # A relative lift never reaches below -100%; attribution KPIs are never compared with a holdout.
            assert (kpis["rel_lift_ci_low"].dropna() >= -1).all()
            holdout = set(arms.loc[arms["holdout"] == 1, "name"])
            assert kpis.loc[(kpis["attribution"] == 1) & kpis["arm"].isin(holdout), "n"].eq(0).all()
            assert set(kpis["note"]) <= {"", "not_observable", "too_few_customers", "no_variation"}
            control = arms.loc[arms["control"] == 1, "name"].iloc[0]
            assert kpis.loc[kpis["arm"] == control, "abs_lift"].isna().all()
            assert arms["assigned"].sum() <= customers
            assert (arms["sends"] <= arms["triggers"]).all()
            assert (arms.loc[arms["holdout"] == 1, "sends"] == 0).all()
            factorial = table(g["factorial"])
            assert set(factorial.columns) >= {"outcome", "term", "estimate", "ci_low", "ci_high", "truth"}
            # Send time: deliveries and opens by local hour add up to the arms' totals.
            hours = g["send_hours"]
            assert list(hours["deliveries"].attrs["dims"]) == ["arm", "local_hour"]
            assert hours["deliveries"].shape == (len(arms), 24)
            assert (hours["deliveries"][()].sum(axis=1) == arms["deliveries"].to_numpy()).all()
            assert (hours["opens"][()].sum(axis=1) == arms["opens"].to_numpy()).all()
            assert list(hours["open_delay"].attrs["dims"]) == ["arm", "hours_after_delivery"]
            assert (hours["open_delay"][()].sum(axis=1) <= arms["opens"].to_numpy()).all()
            assert (arms["oracle_opens"] >= arms["expected_opens"] - 1e-6).all()
            assert (arms["near_best"] <= arms["sends"]).all()
            # Honest measurement: roles, CUPED, corrections, sample-ratio checks, sequential series, allocation.
            assert set(kpis["role"]) <= {"primary", "secondary", "guardrail"}
            primary = list(g["kpis"].attrs["primary"])
            assert primary and set(kpis.loc[kpis["role"] == "primary", "kpi"]) == set(primary)
            treated = kpis[(kpis["role"] == "primary") & kpis["abs_lift"].notna()]
            assert (treated["p_holm"] >= treated["p_value"] - 1e-12).all()
            assert (treated["p_bh"] <= treated["p_holm"] + 1e-12).all()
            srm = table(g["srm_entered"])
            assert len(srm) == len(arms) and abs(srm["expected"].sum() - srm["observed"].sum()) < 1e-6 * max(1, srm["observed"].sum())
            assert 0 <= g["srm_entered"].attrs["p_value"] <= 1
            seq = table(g["sequential"])
            daily_p = g["sequential_daily/p_value"][()]
            assert g["sequential_daily/p_holm"].shape == daily_p.shape
            assert "n_star" in seq.columns
            aliased = g["factorial_aliased"]
            assert h5py.check_string_dtype(aliased.dtype) is not None
            margins = table(g["guardrail_margins"])
            assert set(margins["kind"]) <= {"absolute", "relative", "per_send"}
            assert daily_p.shape == (len(seq), int(f.attrs["window_days"])), daily_p.shape
            lo, hi = g["sequential_daily/cs_low"][()], g["sequential_daily/cs_high"][()]
            ok = ~np.isnan(lo)
            assert (lo[ok] <= hi[ok] + 1e-12).all()
            weights = g["allocation/weights"][()]
            assert weights.shape == (int(f.attrs["window_days"]), len(arms))
            assert np.allclose(weights.sum(axis=1), 1.0)
            best = table(g["best"])
            assert best["segment"].iloc[0] == "all"
        groups = table(f["programme/groups"])
        assert list(groups["group"]) == ["programme", "global_control"]
        assert groups["customers"].sum() == customers
        table(f["programme/kpis"])
        table(f["channels"])
        stages = f["daily/stage_counts"][()]
        stage_names = list(f["daily/stage_names"].asstr()[()])
        assert stages.shape == (len(f["daily/day"]), 2, len(stage_names)), stages.shape
        assert stage_names[0] == "prospect" and "churned" in stage_names
        totals = stages.sum(axis=(1, 2))
        assert np.all(totals == customers), totals[:5]
        sends = f["daily/sends"][()]
        assert sends.shape == (len(f["daily/day"]), n_arms), sends.shape
        assert len(f["daily/cell_arm"]) == n_arms
    print(f"ok: {path}: {len(names)} campaigns, {n_arms} arms, {stages.shape[0]} days")


if __name__ == "__main__":
    main(sys.argv[1])
