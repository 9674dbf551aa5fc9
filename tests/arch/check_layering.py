#!/usr/bin/env python3
"""The build's public/private rule, checked on every `make test`.

Each folder of server/ is an area; include/albwebhook/<area>/ holds its public headers and
server/<area>/ its sources and private headers. This check fails when:
  1. an area includes another area that LAYERS does not allow (direction: the transport knows
     nothing of admission, rules or policy; rules know nothing of admission, app or the transport;
     and so on), or an area missing from LAYERS appears;
  2. a file includes another area's private header ("area/x.hpp" from server/), except the
     shared internal `common` area;
  3. a public header includes a private one (include/ must stand alone).
Run: tests/arch/check_layering.py [PROJECT_ROOT]
"""
import os
import re
import sys

# area -> areas it may include (public headers, or common's private ones).
LAYERS = {
    "util": set(),
    "api": set(),
    "log": {"util"},
    "common": {"util"},
    "json": {"util"},
    "metrics": {"util"},
    "policy": {"util", "common"},
    "manifest": {"util"},
    "cluster": {"util", "log", "common", "json"},
    "state": {"policy", "cluster"},
    "rules": {"api", "util", "common", "json", "policy", "cluster", "state"},
    "admission": {"api", "util", "common", "json", "rules", "state", "policy", "log"},
    "transport": {"util", "log", "common", "metrics"},
    "app": {"util", "log", "common", "metrics", "policy", "cluster", "state", "rules",
            "admission", "transport", "json", "api"},
    "cli": {"util", "log", "common", "manifest", "policy", "cluster", "state", "rules",
            "admission", "app", "json", "api", "transport"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def area_of_include(path):
    parts = path.split("/")
    if parts[0] == "albwebhook" and len(parts) > 2:
        return parts[1], True
    return (parts[0], False) if len(parts) > 1 else (None, False)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems = []
    for top, public in (("server", False), (os.path.join("include", "albwebhook"), True)):
        base = os.path.join(root, top)
        for folder, _, files in os.walk(base):
            for name in sorted(files):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, base)
                if "/" not in rel:
                    continue  # server/main.cpp: the composition of everything
                area = rel.split("/")[0]
                if area not in LAYERS:
                    problems.append(f"{top}/{rel}: area '{area}' is not in LAYERS")
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target, target_public = area_of_include(m.group(1))
                        where = f"{top}/{rel}:{number}: includes \"{m.group(1)}\""
                        if target is None or target == area and target_public == public:
                            continue
                        if public and not target_public:
                            problems.append(where + " (a public header includes a private one)")
                        elif target != area and target not in LAYERS[area]:
                            problems.append(where + f" ({area} may not depend on {target})")
                        elif not target_public and target not in (area, "common"):
                            problems.append(where + " (another area's private header)")
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
