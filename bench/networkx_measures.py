"""The networkx side of bench/network.ts: the same measures on the same link
file, each timed, so the two figures come from one run on one machine.
Usage: python3 bench/networkx_measures.py links.csv SAMPLE SEED ours.csv"""
import csv
import sys
import time

import networkx as nx

path, sample, seed, ours_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
timings = {}


def timed(name, work):
    start = time.perf_counter()
    out = work()
    timings[name] = time.perf_counter() - start
    return out


def read():
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        return nx.Graph((a, b) for a, b in rows)


graph = timed("read", read)
degree = timed("degree", lambda: dict(graph.degree()))
between = timed("betweenness", lambda: nx.betweenness_centrality(graph, k=min(sample, graph.number_of_nodes()), normalized=True, seed=seed))
rank = timed("pagerank", lambda: nx.pagerank(graph, alpha=0.85, tol=1e-10))
parts = timed("communities", lambda: nx.community.louvain_communities(graph, seed=seed))
modularity = nx.community.modularity(graph, parts)

# Reachable's answers on the same graph: degree exactly, pagerank to 1e-4, modularity within 0.02.
ours = {}
with open(ours_path, newline="") as f:
    for row in csv.DictReader(f):
        ours[row["id"]] = row
degree_equal = all(int(ours[n]["degree"]) == d for n, d in degree.items())
pagerank_gap = max(abs(float(ours[n]["pagerank"]) - r) for n, r in rank.items())
community_of = {n: ours[n]["community"] for n in graph.nodes}
groups = {}
for n, c in community_of.items():
    groups.setdefault(c, set()).add(n)
our_modularity = nx.community.modularity(graph, groups.values())

total = sum(v for k, v in timings.items() if k != "read")
print("networkx " + nx.__version__ + ": " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f"; measures {total:.1f} s")
print(f"agreement: degree {'identical' if degree_equal else 'DIFFERENT'}; largest pagerank difference {pagerank_gap:.2e}; modularity Reachable {our_modularity:.4f}, networkx {modularity:.4f}")
