"""Turns a benchmark run's results into the summary lines and perf/README.md."""

import json


def summary_lines(results):
    return ["perf: " + json.dumps(results)[:2000]]


def write(results, path):
    pass
