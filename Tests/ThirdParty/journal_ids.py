#!/usr/bin/env python3
"""An independent client of the journal contract, written only from Protocols/JOURNAL.md and
Protocols/README.md: recomputes every row's input fingerprint and prediction id.

Usage: journal_ids.py INPUTS.json PREDICTIONS.jsonl
  INPUTS.json       `propcast predict --input` objects (one or an array)
  PREDICTIONS.jsonl `propcast predict --input INPUTS.json --json` output, one line per input
Prints "checked N rows, M mismatches" and exits 1 on any mismatch.
"""
import hashlib
import json
import struct
import sys

BASELINE = [
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "minutes_avg_last_10", "fatigue_score", "shot_zone_mismatch_score", "pace_score",
    "usage_spike_score", "referee_favorability_score", "look_ahead_pressure_score",
    "matchup_history_score", "momentum_score", "opponent_def_rating_last_15",
    "opponent_pace_last_15", "is_home", "days_rest", "back_to_back", "paint_rate_last_10",
    "mid_range_rate_last_10", "three_pt_rate_last_10", "assisted_rate_last_10",
    "team_pace_last_10", "team_off_rating_last_10", "usage_rate_last_10",
]


def bits(x):
    return struct.pack(">d", float(x)).hex()


def opt(x):
    return "-" if x is None else bits(x)


def canonical(case):
    features = case["features"]
    names = [n for n in BASELINE if n in features] + sorted(n for n in features if n not in BASELINE)
    out = ["propcast-inputs/1"]
    for name in names:
        out.append("feature %d:%s %s" % (len(name.encode()), name, bits(features[name])))
    out.append("quality " + bits(case["feature_quality_score"]))
    out.append("source " + case.get("data_source", "phase4"))
    for game in case.get("recent_games", []):
        rest = game.get("days_rest")
        home = game.get("is_home")
        out.append("game %s %s %s %s %s %s %s" % (
            game["game_date"], bits(game["points"]), opt(game.get("opponent_def_rating_last_15")),
            "-" if rest is None else str(max(-2**31, min(2**31 - 1, int(rest)))),
            "-" if home is None else ("1" if home else "0"),
            opt(game.get("points_avg_last_5")), opt(game.get("points_avg_season"))))
    return "\n".join(out) + "\n"


def line_text(line):
    return "none" if line is None else repr(float(line))


def fingerprint(case, line):
    text = canonical(case) + "line " + ("none" if line is None else bits(line)) + "\n"
    return hashlib.sha256(text.encode()).hexdigest()


def prediction_id(case, row, fp):
    key = "|".join([case["game_date"], case["player_lookup"], case["game_id"], row["system_id"],
                    line_text(row["line"]), row["model_version"], fp])
    b = bytearray(hashlib.sha256(key.encode()).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x80
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def main():
    cases = json.load(open(sys.argv[1]))
    if isinstance(cases, dict):
        cases = [cases]
    answers = [json.loads(line) for line in open(sys.argv[2]) if line.strip()]
    checked = mismatches = 0
    for case, answer in zip(cases, answers):
        for row in answer.get("predictions", []):
            fp = fingerprint(case, row["line"])
            checked += 1
            if row.get("input_fingerprint") != fp or row.get("prediction_id") != prediction_id(case, row, fp):
                mismatches += 1
                if mismatches <= 5:
                    print("mismatch: %s %s line %s" % (case["player_lookup"], row["system_id"], row["line"]))
    print("checked %d rows, %d mismatches" % (checked, mismatches))
    sys.exit(1 if mismatches or not checked else 0)


main()
