#!/usr/bin/env python3
"""Plots the learning curve of `seqwatch bench fewlabels --curve ... --json` (median PR-AUC per queue order).

usage: seqwatch bench fewlabels --data D --curve 0,20,50,100,200,500 --orders top,label-next,random --json > curve.json
       python3 scripts/plot_learning_curve.py curve.json docs/learning-curve.png
"""
import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

runs = json.load(open(sys.argv[1]))["runs"]
orders = {}
for r in runs:
    orders.setdefault(r["order"], {}).setdefault(r["labelled"], []).append(r["pr_auc"])
names = {"label-next": "label next", "top": "top of queue", "random": "random"}
fig, ax = plt.subplots(figsize=(6, 3.6), dpi=110)
for order, pts in orders.items():
    xs = sorted(pts)
    ax.plot(xs, [statistics.median(pts[x]) for x in xs], marker="o", label=names.get(order, order))
ax.set_xscale("symlog", linthresh=20)
ax.set_xticks(sorted({x for p in orders.values() for x in p}))
ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
ax.set_xlabel("labels given by the (simulated) analyst")
ax.set_ylabel("PR-AUC on the users not labelled")
ax.set_ylim(0, 1)
ax.grid(alpha=0.3)
ax.legend()
ax.set_title("ensemble: learning curve by queue order (median of runs)")
fig.tight_layout()
fig.savefig(sys.argv[2])
