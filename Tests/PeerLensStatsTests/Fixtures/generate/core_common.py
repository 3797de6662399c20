"""Shared helper for the core_* generator scripts: write a fixture JSON next to this folder."""
import json
import os

import numpy as np


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (np.floating,)):
        value = float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, float) and not np.isfinite(value):
        return None  # JSON has no NaN/Inf; tests read null as "undefined"
    return value


def write_fixture(name, content):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", name)
    with open(path, "w") as f:
        json.dump(_plain(content), f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))
