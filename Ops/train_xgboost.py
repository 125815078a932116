#!/usr/bin/env python3
"""Train Propcast's `xgboost_v1` model and write the files a worker loads.

Requirements: Python 3.9+, `pip install xgboost numpy` (written against xgboost 3.2.0;
the JSON model format is the same from 1.x on). sqlite3 is in the standard library.

Usage:
  python3 Ops/train_xgboost.py --store store.sqlite --out Ops/models [--seed 42]
  python3 Ops/train_xgboost.py --synthetic --out Ops/models [--seed 42]

Inputs:
  --store: the SQLite feature store. Training rows are `ml_feature_store_v2` rows with
  feature_version 'v1_baseline_25' joined with the actual points in `player_game_summary`
  on (player_lookup, game_date).
  --synthetic: no store; rows drawn from a plausible latent scoring model (development only).

Outputs in --out:
  xgboost_v1.json         Booster.save_model JSON (gbtree, reg:squarederror, feature_names =
                          the 25 features of v1_baseline_25 in order).
  manifest.json           versions of all five systems + the model's file name and SHA-256
                          (read by ModelRegistry.load(from:)).
  xgboost_v1_parity.csv   >= 10,000 rows: the 25 features (empty cell = missing) and
                          xgboost's own prediction (`xgboost_prediction`); the Swift evaluator
                          must match every row within 1e-5 (Tests/PropcastModelsTests).
The run is deterministic for a given --seed and input.
"""
import argparse
import datetime
import hashlib
import json
import os
import sqlite3
import sys

import numpy as np
import xgboost as xgb

FEATURE_VERSION = "v1_baseline_25"
FEATURE_NAMES = [
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "minutes_avg_last_10", "fatigue_score", "shot_zone_mismatch_score", "pace_score",
    "usage_spike_score", "referee_favorability_score", "look_ahead_pressure_score",
    "matchup_history_score", "momentum_score", "opponent_def_rating_last_15",
    "opponent_pace_last_15", "is_home", "days_rest", "back_to_back", "paint_rate_last_10",
    "mid_range_rate_last_10", "three_pt_rate_last_10", "assisted_rate_last_10",
    "team_pace_last_10", "team_off_rating_last_10", "usage_rate_last_10",
]
RULE_SYSTEM_VERSIONS = {
    "moving_average": "moving_average_baseline_v1.0",
    "zone_matchup_v1": "zone_matchup_v1.0",
    "similarity_balanced_v1": "similarity_balanced_v1.0",
    "ensemble_v1": "ensemble_v2.0",
}
PARAMS = {
    "objective": "reg:squarederror",
    "tree_method": "hist",
    "max_depth": 6,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 5,
    "nthread": 2,
}
ROUNDS = 300
PARITY_ROWS = 12000


def load_store(path):
    """Feature vectors (float64, NaN for null) and actual points from the feature store."""
    if not os.path.exists(path):
        sys.exit(f"feature store {path}: file not found")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = db.execute(
        """SELECT f.feature_names, f.features, s.points, f.game_date
             FROM ml_feature_store_v2 f
             JOIN player_game_summary s
               ON s.player_lookup = f.player_lookup AND s.game_date = f.game_date
            WHERE f.feature_version = ? AND s.points IS NOT NULL
            ORDER BY f.game_date, f.player_lookup, f.game_id""",
        (FEATURE_VERSION,),
    ).fetchall()
    # Every stored vector (with or without a known outcome) feeds the parity file.
    all_vectors = db.execute(
        """SELECT feature_names, features FROM ml_feature_store_v2
            WHERE feature_version = ? ORDER BY game_date, player_lookup, game_id""",
        (FEATURE_VERSION,),
    ).fetchall()
    db.close()
    if not rows:
        sys.exit(f"feature store {path}: no {FEATURE_VERSION} rows with actual points")

    def vector(names_json, values_json, row_number):
        names, values = json.loads(names_json), json.loads(values_json)
        if len(names) != len(values):
            sys.exit(f"feature store {path}: row {row_number} has {len(names)} names but {len(values)} values")
        by_name = dict(zip(names, values))
        return [np.nan if by_name.get(n) is None else float(by_name[n]) for n in FEATURE_NAMES]

    x = np.array([vector(r[0], r[1], i) for i, r in enumerate(rows)], dtype=np.float64)
    y = np.array([float(r[2]) for r in rows], dtype=np.float64)
    pool = np.array([vector(r[0], r[1], i) for i, r in enumerate(all_vectors)], dtype=np.float64)
    dates = (min(r[3] for r in rows), max(r[3] for r in rows))
    return x, y, pool, dates


def synthetic(rng, n):
    """Rows from a plausible latent model of NBA scoring (development without a store)."""
    season = np.clip(rng.gamma(3.0, 4.0, n), 2, 38)
    last10 = np.clip(season + rng.normal(0, 2.5, n), 0, 60)
    last5 = np.clip(last10 + rng.normal(0, 2.5, n), 0, 60)
    std10 = rng.uniform(2, 10, n)
    minutes = np.clip(12 + season * 0.9 + rng.normal(0, 3, n), 5, 42)
    fatigue = rng.uniform(40, 100, n)
    mismatch = rng.uniform(-10, 10, n)
    pace = rng.uniform(-3, 3, n)
    usage_spike = rng.uniform(-3, 3, n)
    zeros = np.zeros(n)
    opp_def = rng.uniform(100, 122, n)
    opp_pace = rng.uniform(94, 106, n)
    is_home = rng.integers(0, 2, n).astype(np.float64)
    days_rest = rng.choice([0, 1, 2, 3, 4, 7], n, p=[0.15, 0.45, 0.2, 0.1, 0.05, 0.05]).astype(np.float64)
    b2b = (days_rest == 0).astype(np.float64)
    paint = rng.uniform(0.15, 0.70, n)
    mid = rng.uniform(0.10, 0.25, n)
    three = np.clip(1.0 - paint - mid + rng.normal(0, 0.05, n), 0.10, 0.60)
    assisted = rng.uniform(40, 80, n)
    team_pace = rng.uniform(95, 105, n)
    team_off = rng.uniform(105, 120, n)
    usage = np.clip(8 + season * 0.6 + rng.normal(0, 3, n), 8, 35)
    x = np.column_stack([last5, last10, season, std10, minutes, fatigue, mismatch, pace, usage_spike,
                         zeros, zeros, zeros, zeros, opp_def, opp_pace, is_home, days_rest, b2b,
                         paint, mid, three, assisted, team_pace, team_off, usage])
    y = (0.45 * last5 + 0.30 * last10 + 0.25 * season + 0.25 * mismatch + 0.3 * pace
         + 0.5 * usage_spike + 0.12 * (opp_def - 110) + np.where(is_home == 1, 0.5, -0.5)
         - 1.2 * b2b - 0.02 * (fatigue - 70) + 0.05 * (team_pace - 100) * season / 10
         + rng.normal(0, 1, n) * std10 * 0.8)
    return x, np.clip(y, 0, None)


def blank_some(rng, x, share):
    """Copy of x with `share` of the rows missing 1-3 random features (NaN)."""
    x = x.copy()
    for row in np.flatnonzero(rng.random(len(x)) < share):
        x[row, rng.choice(len(FEATURE_NAMES), rng.integers(1, 4), replace=False)] = np.nan
    return x


def split_thresholds(model):
    """(feature index, threshold) of every split in the saved model."""
    out = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        for left, feature, cond in zip(tree["left_children"], tree["split_indices"], tree["split_conditions"]):
            if left != -1:
                out.append((feature, cond))
    return out


def reference_predict(model, row):
    """Independent walk of the saved JSON: float32 compares and float32 accumulation from base_score."""
    learner = model["learner"]
    total = np.float32(float(learner["learner_model_param"]["base_score"].strip("[]")))
    for tree in learner["gradient_booster"]["model"]["trees"]:
        node = 0
        while tree["left_children"][node] != -1:
            value = row[tree["split_indices"][node]]
            if np.isnan(value):
                left = bool(tree["default_left"][node])
            else:
                left = value < np.float32(tree["split_conditions"][node])
            node = tree["left_children"][node] if left else tree["right_children"][node]
        total = np.float32(total + np.float32(tree["split_conditions"][node]))
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", help="SQLite feature store to train from")
    source.add_argument("--synthetic", action="store_true", help="train on generated rows (development only)")
    parser.add_argument("--out", required=True, help="directory for the model, manifest and parity file")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    if args.store:
        x, y, pool, training_dates = load_store(args.store)
        training_source = f"feature store {os.path.basename(args.store)} ({FEATURE_VERSION})"
    else:
        x, y = synthetic(rng, 40000)
        pool = synthetic(rng, PARITY_ROWS)[0]
        training_source = "synthetic (Ops/train_xgboost.py --synthetic)"
        training_dates = None
    # A little missingness in training teaches the trees real default directions.
    x_train = blank_some(rng, x, 0.03).astype(np.float32)
    dtrain = xgb.DMatrix(x_train, label=y, feature_names=FEATURE_NAMES, missing=np.nan)
    booster = xgb.train({**PARAMS, "seed": args.seed}, dtrain, num_boost_round=ROUNDS)

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "xgboost_v1.json")
    booster.save_model(model_path)
    with open(model_path, "rb") as f:
        model_bytes = f.read()
    model = json.loads(model_bytes)

    # Parity rows: stored vectors, 5% with 1-3 missing features, and some rows whose value
    # sits exactly on a split threshold (checks `<` versus `<=` and float32 compares).
    picks = rng.choice(len(pool), PARITY_ROWS, replace=len(pool) < PARITY_ROWS)
    parity = blank_some(rng, pool[picks], 0.05).astype(np.float32)
    thresholds = split_thresholds(model)
    for row in rng.choice(PARITY_ROWS, 600, replace=False):
        feature, cond = thresholds[rng.integers(len(thresholds))]
        parity[row, feature] = np.float32(cond)
    predictions = booster.predict(xgb.DMatrix(parity, feature_names=FEATURE_NAMES, missing=np.nan))

    for row in range(0, PARITY_ROWS, PARITY_ROWS // 300):
        expected = reference_predict(model, parity[row])
        if expected != predictions[row]:
            sys.exit(f"reference walk disagrees with xgboost on parity row {row}: {expected!r} vs {predictions[row]!r}")

    parity_path = os.path.join(args.out, "xgboost_v1_parity.csv")
    with open(parity_path, "w") as f:
        f.write(",".join(FEATURE_NAMES + ["xgboost_prediction"]) + "\n")
        for features, prediction in zip(parity, predictions):
            cells = ["" if np.isnan(v) else repr(float(v)) for v in features]
            f.write(",".join(cells + [repr(float(prediction))]) + "\n")

    sha = hashlib.sha256(model_bytes).hexdigest()
    manifest = {
        "format": "propcast-model-manifest/1",
        "feature_version": FEATURE_VERSION,
        "systems": {**RULE_SYSTEM_VERSIONS, "xgboost_v1": f"xgboost_v1_{sha[:12]}"},
        "xgboost_model": {
            "file": "xgboost_v1.json",
            "sha256": sha,
            "trained_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "training_rows": int(len(y)),
            "xgboost_version": xgb.__version__,
            "training_source": training_source,
            # The game dates of the training rows: `propcast grade` warns inside this range.
            **({"training_first_date": training_dates[0], "training_last_date": training_dates[1]}
               if training_dates else {}),
        },
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    rmse = float(np.sqrt(np.mean((booster.predict(dtrain) - y) ** 2)))
    print(f"trained {ROUNDS} trees on {len(y)} rows ({training_source}); train RMSE {rmse:.3f}")
    print(f"wrote {model_path} ({len(model_bytes)} bytes, sha256 {sha[:12]}), {parity_path} ({PARITY_ROWS} rows)")


if __name__ == "__main__":
    main()
