#!/usr/bin/env python3
"""Trains with Debian's python3-xgboost on matrices exported by
xgboost_python_test and prints the validation AUC, so that the test can
check that c360's C API training matches the reference binding.

Usage: xgboost_reference.py FOLDER
FOLDER holds config.json (params, rounds, feature_names, feature_types) and
train.csv / validation.csv (label first, then the features; "nan" = missing).
Exit status 3 when the xgboost module cannot be imported.
"""
import json
import sys

try:
    import numpy as np
    import xgboost as xgb
except ImportError as error:
    print(f"cannot import xgboost ({error}); install python3-xgboost",
          file=sys.stderr)
    sys.exit(3)


def load(folder, name, config):
    matrix = np.loadtxt(f"{folder}/{name}.csv", delimiter=",",
                        dtype=np.float32, ndmin=2)
    return xgb.DMatrix(matrix[:, 1:], label=matrix[:, 0], missing=np.nan,
                       feature_names=config["feature_names"],
                       feature_types=config["feature_types"],
                       enable_categorical=True)


def roc_auc(scores, labels):
    """Rank-based AUC with ties counting one half."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and scores[order[j]] == scores[order[i]]:
            j += 1
        ranks[order[i:j]] = (i + 1 + j) / 2.0
        i = j
    positives = float(np.sum(labels > 0.5))
    negatives = len(labels) - positives
    return ((np.sum(ranks[labels > 0.5]) - positives * (positives + 1) / 2)
            / (positives * negatives))


def main():
    folder = sys.argv[1]
    with open(f"{folder}/config.json") as f:
        config = json.load(f)
    train = load(folder, "train", config)
    validation = load(folder, "validation", config)
    booster = xgb.train(config["params"], train,
                        num_boost_round=config["rounds"])
    scores = booster.predict(validation)
    print(f"xgboost {xgb.__version__}")
    print(f"validation_auc {roc_auc(scores, validation.get_label())!r}")


if __name__ == "__main__":
    main()
