"""Dependency graphs of items: cycles, parallel lanes and the critical path.

Nodes are item codes; an edge (a, b) means b waits for a's result. Pure functions over plain data, so that they are
cheap to call for every plan and easy to test with generated graphs.
"""

from collections.abc import Iterable, Mapping


class CycleError(ValueError):
    """The items wait for each other in a circle; no order exists."""


def _successors(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    for before, after in edges:
        successors[before].append(after)
    return successors


def find_cycle(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """A cycle as a list of nodes [a, b, …, a], or None when the graph is acyclic."""
    successors = _successors(nodes, edges)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in successors:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            children = successors[node]
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    return [*path[path.index(child) :], child]
                if not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def topological_order(nodes: list[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """Nodes in an order where every edge points forward; ties keep the given order. Raises on a cycle."""
    edges = list(edges)
    successors = _successors(nodes, edges)
    waiting = dict.fromkeys(nodes, 0)
    for _before, after in edges:
        waiting[after] += 1
    position = {node: index for index, node in enumerate(nodes)}
    ready = sorted((node for node in nodes if waiting[node] == 0), key=position.__getitem__)
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        released = []
        for child in successors[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                released.append(child)
        ready = sorted(ready + released, key=position.__getitem__)
    if len(order) != len(nodes):
        raise CycleError("dependency cycle")
    return order


def levels(nodes: list[str], edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each node's lane: 0 for nodes that wait for nothing, else one more than the latest thing it waits for."""
    edges = list(edges)
    predecessors: dict[str, list[str]] = {node: [] for node in nodes}
    for before, after in edges:
        predecessors[after].append(before)
    level: dict[str, int] = {}
    for node in topological_order(nodes, edges):
        level[node] = max((level[p] + 1 for p in predecessors[node]), default=0)
    return level


def critical_path(
    nodes: list[str], edges: Iterable[tuple[str, str]], durations: Mapping[str, int]
) -> tuple[list[str], int]:
    """The longest chain of waiting (by duration) and its total: how long the whole bundle takes at best."""
    edges = list(edges)
    predecessors: dict[str, list[str]] = {node: [] for node in nodes}
    for before, after in edges:
        predecessors[after].append(before)
    finish: dict[str, int] = {}
    via: dict[str, str | None] = {}
    for node in topological_order(nodes, edges):
        start, previous = 0, None
        for p in predecessors[node]:
            if finish[p] > start or (previous is None and finish[p] == start):
                start, previous = finish[p], p
        finish[node] = start + durations[node]
        via[node] = previous
    if not nodes:
        return [], 0
    end = max(nodes, key=lambda node: (finish[node], -nodes.index(node)))
    path = [end]
    while via[path[-1]] is not None:
        path.append(via[path[-1]])
    return path[::-1], finish[end]
