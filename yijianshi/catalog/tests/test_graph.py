"""Property tests of the dependency graph algorithms over generated graphs."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from yijianshi.catalog.graph import critical_path, find_cycle, levels, topological_order


@st.composite
def dags(draw, max_nodes=12):
    """A random acyclic graph: edges only from an earlier to a later node of a hidden order."""
    count = draw(st.integers(0, max_nodes))
    nodes = [f"n{i}" for i in range(count)]
    order = draw(st.permutations(nodes))
    pairs = [(order[i], order[j]) for i in range(count) for j in range(i + 1, count)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    durations = {node: draw(st.integers(0, 30)) for node in nodes}
    return nodes, edges, durations


@given(dags())
def test_an_acyclic_graph_has_no_cycle_and_a_forward_order(graph):
    nodes, edges, _durations = graph
    assert find_cycle(nodes, edges) is None
    order = topological_order(nodes, edges)
    assert sorted(order) == sorted(nodes)
    position = {node: index for index, node in enumerate(order)}
    assert all(position[a] < position[b] for a, b in edges)


@given(dags(), st.data())
def test_a_back_edge_makes_a_cycle_that_is_found(graph, data):
    nodes, edges, _durations = graph
    if not edges:
        return
    a, b = data.draw(st.sampled_from(edges))
    cycle = find_cycle(nodes, [*edges, (b, a)])
    assert cycle is not None
    assert cycle[0] == cycle[-1]
    all_edges = {*edges, (b, a)}
    assert all((x, y) in all_edges for x, y in itertools.pairwise(cycle))


@given(dags())
def test_every_node_waits_in_a_later_lane_than_what_it_waits_for(graph):
    nodes, edges, _durations = graph
    lane = levels(nodes, edges)
    assert all(lane[a] < lane[b] for a, b in edges)
    # Lanes are tight: a node not in lane 0 waits for something in the lane before it.
    for node in nodes:
        if lane[node] > 0:
            assert any(lane[a] == lane[node] - 1 for a, b in edges if b == node)


@given(dags())
def test_the_critical_path_is_a_chain_whose_length_no_chain_exceeds(graph):
    nodes, edges, durations = graph
    path, total = critical_path(nodes, edges, durations)
    if not nodes:
        assert (path, total) == ([], 0)
        return
    assert all((a, b) in set(edges) for a, b in itertools.pairwise(path))
    assert total == sum(durations[n] for n in path)
    # No node finishes later than the total: the longest chain ending anywhere is at most the critical path.
    finish = {}
    for node in topological_order(nodes, edges):
        finish[node] = durations[node] + max((finish[a] for a, b in edges if b == node), default=0)
    assert total == max(finish.values())


def test_a_small_bundle():
    nodes = ["birth", "hukou", "insurance", "card"]
    edges = [("birth", "hukou"), ("hukou", "card"), ("insurance", "card")]
    durations = {"birth": 1, "hukou": 5, "insurance": 3, "card": 10}
    assert levels(nodes, edges) == {"birth": 0, "insurance": 0, "hukou": 1, "card": 2}
    assert critical_path(nodes, edges, durations) == (["birth", "hukou", "card"], 16)
    assert find_cycle(nodes, [*edges, ("card", "birth")]) == ["birth", "hukou", "card", "birth"]
