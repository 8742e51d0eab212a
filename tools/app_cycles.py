"""List every pair of Duixian apps that import each other (docs/decisions/0002-import-contracts.md).

Run: .venv/bin/python tools/app_cycles.py
Prints, for each two-app cycle, how many import lines go each way and one example line per way.
Counts every import, including late imports inside functions (grimp sees those too).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import combinations

import grimp

ROOT = "duixian"


def main() -> int:
    graph = grimp.build_graph(ROOT, cache_dir=None)
    apps = sorted(
        m.split(".")[1] for m in graph.find_children(ROOT) if m.split(".")[1] not in {"settings", "urls", "wsgi", "cli"}
    )
    edges: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
    for module in sorted(graph.modules):
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in apps:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = imported.split(".")
            if len(target) < 2 or target[0] != ROOT or target[1] not in apps or target[1] == parts[1]:
                continue
            for detail in graph.get_import_details(importer=module, imported=imported):
                edges[(parts[1], target[1])].append((module, detail["line_number"], detail["line_contents"]))

    cycles = [(a, b) for a, b in combinations(apps, 2) if edges.get((a, b)) and edges.get((b, a))]
    print(f"{len(cycles)} two-app cycles")
    for a, b in cycles:
        print(f"\n{a} <-> {b}")
        for src, dst in ((a, b), (b, a)):
            lines = sorted(edges[(src, dst)])
            module, line, text = lines[0]
            print(f"  {src} -> {dst}: {len(lines)} import(s), e.g. {module.replace('.', '/')}.py:{line}: {text.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
