#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Report include cycles between the core's modules (csrc/src).

A module is x.c together with x.h (a header without a .c file, such as
smmu_internal.h, is a module on its own). There is an edge A -> B when a
file of module A includes B's header with #include "...". The rule
(docs/architecture.md) is that this graph has no cycle: data and calls flow
one way. Prints every strongly connected component of more than one module
(and each self-include) with one cycle through it, and exits 1 if there is
any; exits 0 and prints nothing otherwise.

usage: module_cycles.py [SRC_DIR]   (default: csrc/src next to this script)
Python 3 standard library only.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_graph(src):
    files = [f for f in os.listdir(src) if f.endswith(('.c', '.h'))]
    modules = {os.path.splitext(f)[0] for f in files}
    edges = {m: set() for m in modules}
    for f in files:
        me = os.path.splitext(f)[0]
        with open(os.path.join(src, f), encoding='utf-8') as fh:
            text = fh.read()
        for inc in INCLUDE.findall(text):
            if '/' in inc or not inc.endswith('.h'):
                continue  # public headers (smmu/...) are not modules of csrc/src
            other = inc[:-2]
            if other in modules and other != me:
                edges[me].add(other)
    return edges


def sccs(edges):
    """Tarjan's algorithm, iterative; components in a stable order."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                elif nxt in on:
                    low[v] = min(low[v], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def one_cycle(edges, comp):
    """A shortest cycle through the first module of comp, inside comp."""
    members = set(comp)
    start = comp[0]
    prev = {start: None}
    queue = [start]
    for v in queue:
        for w in sorted(edges[v] & members):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src = argv[1] if len(argv) > 1 else os.path.join(here, '..', 'csrc', 'src')
    edges = module_graph(src)
    bad = [c for c in sccs(edges) if len(c) > 1]
    for comp in bad:
        print('cycle among %d modules: %s' % (len(comp), ' '.join(comp)))
        print('  e.g. ' + ' -> '.join(one_cycle(edges, comp)))
        for m in comp:
            inside = sorted(edges[m] & set(comp))
            print('  %s includes %s' % (m, ', '.join(x + '.h' for x in inside)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
