#!/usr/bin/env python3
"""Expand a network-config-analyzer (NCA) connectivity map in fw-rules form into per-pair expectations.

Usage:
  python3 scripts/nca-fwrules-to-pairs.py MAP [--resolution deployment|pod]

MAP is an NCA connectivityMap expected output, in NCA's `dot` form (ConnectivityGraph
.get_connectivity_dot_format_str) or its `txt` fw-rules form (MinimizeFWRules: lines
`src_ns: [..] src_pods: [..] dst_ns: [..] dst_pods: [..] conn: ..`). It prints the `expected` list
of a mesh case (shared/conformance/mesh/CONVENTIONS.md): one `{"src","dst","conns"}` per
ordered pair of endpoints with some allowed connection, the form check.py judges. Offline only:
it writes the held-out fixtures (test/fixtures/mesh-heldout/PROVENANCE.md says which).

How NCA's dot form is read (nca/FWRules/ConnectivityGraph.py, DotGraph.py at c4bd39f):
* A node stands for a group of peers of one namespace with identical edges (_get_equals_groups):
  its table rows are the members, named without the namespace (the enclosing subgraph's label) when
  the graph has namespace subgraphs. An edge to or from the node holds for every member.
* A node's self edge (`"x" -> "x"`) is the group's own connection: every ordered pair of two
  distinct members has it. A group without a self edge has no connection inside it.
* `clique_*` nodes: the leaf nodes joined (directly or through further clique nodes) by clique
  edges are all connected to each other, both ways, with the clique's connection (its tooltip,
  after "...CLIQUE:\n"). `biclique_*` nodes: every source node of an edge into the biclique reaches
  every destination of an edge out of it, with the biclique's connection.
* Other edges carry their connection in `labeltooltip`; `arrowtail=normal` means both directions.
  A pair on several edges gets the union.
* Peer names: a workload is `ns/<name>(<Kind>)` at NCA's default outputEndpoints=deployments, a
  pod `ns/<name>`; the `(<Kind>)` is dropped (CONVENTIONS "Endpoint names"). IP blocks become
  `ip:<cidr or range>[,...]`.
Connections (ConnectivityProperties.get_simplified_connections_representation): `All`, or cubes
`{protocols:..,dst_ports:..,methods:..,paths:..,hosts:..}` joined by commas. A path or host set is
printed as its words when finite (`a, b`), `*` for all, `all but <words>`, or NCA's regex with its
alphabet `[.\\w/\\-]*` printed as `*` (MinDFA.dfa_from_regex): the Ingress/Gateway prefix `X(/*)?` is
written `["X", "X/*"]` as CONVENTIONS says, any other regex as `{"regex": ...}` with the alphabet
put back. `All but {...}` is refused (no complement in the case format).
"""
import argparse
import json
import re
import sys

ALPHABET = r'[.\w/\-]*'
NON_TCP = '0-5,7-255'
KEYS = {'protocols': 'protocol', 'dst_ports': 'ports', 'src_ports': 'src_ports', 'methods': 'methods',
        'paths': 'paths', 'hosts': 'hosts', 'icmp_type': 'icmp_type', 'icmp_code': 'icmp_code'}


class Unsupported(Exception):
    pass


def words(value):
    return [w.strip() for w in value.split(',') if w.strip()]


def string_set(value, dim):
    """NCA's printed path/host set as a case-format pattern list (None = all)."""
    value = value.strip()
    if value == '*':
        return None
    if value.startswith('all but '):
        return {'not': string_set(value[len('all but '):], dim)}
    prefix = re.fullmatch(r'([^()*|\[\]+?]+)\(/\*\)\?', value)
    if prefix:
        return [prefix.group(1), prefix.group(1) + '/*']
    if not re.search(r'[()*|\[\]+?]', value):
        return words(value)
    return [{'regex': value.replace('*', ALPHABET)}]


def parse_cube(text):
    """'{protocols:TCP,dst_ports:80,443,hosts:a.b}' -> one case-format entry."""
    body = text.strip()
    if not (body.startswith('{') and body.endswith('}')):
        raise Unsupported(f'not a cube: {text!r}')
    items = []
    for tok in body[1:-1].split(','):
        m = re.match(r'\s*([a-z_]+):(.*)$', tok)
        if m and m.group(1) in KEYS:
            items.append([m.group(1), m.group(2)])
        elif items:
            items[-1][1] += ',' + tok          # a comma inside a value (ports 80,443; words a, b)
        else:
            raise Unsupported(f'cube item {tok!r}')
    entry = {}
    for key, value in items:
        if key in ('paths', 'hosts'):
            s = string_set(value, key)
            if s is not None:
                entry[KEYS[key]] = s
        elif key == 'methods':
            entry['methods'] = {'not': words(value[8:])} if value.startswith('all but ') else words(value)
        else:
            entry[KEYS[key]] = ','.join(words(value))
    return entry


def parse_conns(text):
    text = text.strip()
    if text in ('All', 'All connections'):
        return 'All'
    if text.startswith('All but'):
        raise Unsupported(f'complement connection {text!r}')
    cubes, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == '{':
            depth += 1
            if depth == 1:
                start = i
        elif ch == '}':
            depth -= 1
            if depth == 0:
                cubes.append(parse_cube(text[start:i + 1]))
    if not cubes:
        raise Unsupported(f'connection {text!r}')
    return cubes


def endpoint_name(nca_name):
    """NCA workload or pod name -> case endpoint name."""
    return re.sub(r'\([A-Za-z-]+\)$', '', nca_name)


def union(a, b):
    if a == 'All' or b == 'All':
        return 'All'
    return a + [x for x in b if x not in a]


# ----------------------------------------------------------------------------- dot
def parse_dot(text):
    """-> (members: node id -> [nca peer names], conn_of: clique/biclique id -> conns, edges: [(a, b, conns|None, both)])"""
    lines, merged = text.split('\n'), []
    for line in lines:                  # a clique tooltip continues on the next line
        if merged and not re.match(r'\t|subgraph |}|//|digraph', line) and line != '':
            merged[-1] += '\n' + line
        else:
            merged.append(line)
    members, conn_of, edges, ns = {}, {}, [], ''
    for line in merged:
        if line.startswith('subgraph cluster_'):
            ns = None                   # set by the subgraph's label line
            continue
        if line == '}':
            ns = ''
            continue
        m = re.match(r'\tlabel="([^"]*)"$', line)
        if m and ns is None:
            ns = m.group(1)
            continue
        e = re.match(r'\t"([^"]+)" -> "([^"]+)"\[(.*)\]$', line, re.S)
        if e:
            tip = re.search(r'labeltooltip="([^"]*)"', e.group(3))
            both = 'arrowtail=normal' in e.group(3)
            edges.append((e.group(1), e.group(2), parse_conns(tip.group(1)) if tip else None, both))
            continue
        n = re.match(r'\t"([^"]+)" \[(.*)\]$', line, re.S)
        if not n:
            continue
        node, attrs = n.group(1), n.group(2)
        if node == 'dict_box':
            continue
        if re.match(r'(bi)?clique_', node):
            tip = re.search(r'tooltip="[^"]*:\n([^"]*)"', attrs)
            conn_of[node] = parse_conns(tip.group(1))
            continue
        rows = re.findall(r'<td>([^<]*)</td>', attrs)
        if node in members:
            raise Unsupported(f'node {node} defined twice (pods of one workload differ?)')
        if 'tooltip="IP Block"' in attrs:
            members[node] = ['ip:' + ','.join(rows)]
        else:
            members[node] = [endpoint_name(r if not ns else f'{ns}/{r}') for r in rows]
    return members, conn_of, edges


def dot_pairs(text):
    members, conn_of, edges = parse_dot(text)
    pairs = {}

    def add(src_node, dst_node, conns):
        for s in members[src_node]:
            for d in members[dst_node]:
                if s != d:
                    pairs[(s, d)] = union(pairs[(s, d)], conns) if (s, d) in pairs else conns

    clique_links = {}
    for a, b, conns, both in edges:
        if a.startswith('clique_') or b.startswith('clique_'):
            clique_links.setdefault(a, set()).add(b)
            clique_links.setdefault(b, set()).add(a)
            continue
        if a.startswith('biclique_') or b.startswith('biclique_'):
            continue
        add(a, b, conns)
        if both and a != b:
            add(b, a, conns)
    # cliques: each connected component of clique edges joins its leaves
    seen = set()
    for start in [n for n in clique_links if n.startswith('clique_')]:
        if start in seen:
            continue
        comp, todo = set(), [start]
        while todo:
            x = todo.pop()
            if x in comp:
                continue
            comp.add(x)
            todo.extend(clique_links[x])
        seen |= comp
        conns = [conn_of[c] for c in comp if c.startswith('clique_')]
        if any(c != conns[0] for c in conns):
            raise Unsupported(f'clique {start} joins nodes of different connections')
        leaves = sorted(x for x in comp if not x.startswith('clique_'))
        for a in leaves:
            for b in leaves:
                if a != b:
                    add(a, b, conns[0])
    for bic, conns in conn_of.items():
        if not bic.startswith('biclique_'):
            continue
        srcs = [a for a, b, _, _ in edges if b == bic]
        dsts = [b for a, b, _, _ in edges if a == bic]
        for s in srcs:
            for d in dsts:
                add(s, d, conns)
    endpoints = sorted({x for ms in members.values() for x in ms if not x.startswith('ip:')})
    return pairs, endpoints


def restrict(conns, restriction):
    """A graph 'for TCP connections' / 'for non-TCP connections' (Istio maps) holds only those protocols."""
    if restriction == 'TCP':
        return [{'protocol': 'TCP'}] if conns == 'All' else [dict(e, protocol='TCP') for e in conns]
    if restriction == 'non-TCP':
        if conns != 'All' and any('protocol' not in e for e in conns):
            raise Unsupported(f'a non-TCP graph with a connection of any protocol: {conns!r}')
        return [{'protocol': NON_TCP}] if conns == 'All' else conns
    return conns


def dot_file_pairs(text):
    """A dot file holds one graph, or two (TCP and non-TCP) for maps with Istio layers: their union."""
    pairs, endpoints = {}, set()
    for graph in re.split(r'(?m)^(?=// The Connectivity Graph of )', text):
        if not graph.strip():
            continue
        title = graph.split('\n', 1)[0]
        m = re.search(r', for (TCP|non-TCP) connections$', title)
        g_pairs, g_endpoints = dot_pairs(graph)
        endpoints |= set(g_endpoints)
        for k, c in g_pairs.items():
            c = restrict(c, m.group(1) if m else None)
            pairs[k] = union(pairs[k], c) if k in pairs else c
    return pairs, sorted(endpoints)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('map')
    a = ap.parse_args()
    text = open(a.map, encoding='utf8').read()
    try:
        if re.match(r"\s*(// The Connectivity Graph|digraph)", text):
            pairs, endpoints = dot_file_pairs(text)
        else:
            raise Unsupported('only the dot form is read so far')
    except Unsupported as e:
        sys.exit(f'{a.map}: {e}')
    expected = [{'src': s, 'dst': d, 'conns': c} for (s, d), c in sorted(pairs.items())]
    json.dump({'endpoints': endpoints, 'expected': expected}, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()
