"""The igraph side of bench/network.ts (igraph's C core, Debian's python3-igraph):
the same measures on the same link file, each timed, printed as JSON.
Usage: /usr/bin/python3 bench/igraph_measures.py links.csv MEASURE...
where MEASURE is pagerank, louvain or betweenness (exact)."""
import csv
import json
import sys
import time

import igraph as ig

path, measures = sys.argv[1], sys.argv[2:]
with open(path, newline="") as f:
    rows = csv.reader(f)
    next(rows)
    graph = ig.Graph.TupleList(rows, directed=False)
graph.simplify()
out = {"people": graph.vcount(), "links": graph.ecount()}
for name in measures:
    start = time.perf_counter()
    if name == "pagerank":
        graph.pagerank(damping=0.85)
    elif name == "louvain":
        out["modularity"] = graph.community_multilevel().modularity
    elif name == "betweenness":
        graph.betweenness(directed=False)
    out[name] = time.perf_counter() - start
print(json.dumps(out))
