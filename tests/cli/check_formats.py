#!/usr/bin/env python3
"""`alb-webhook check -o junit|sarif|github` read by real parsers: the JUnit XML through expat
(xml.etree) with counts that add up, the SARIF log's required members, and every GitHub line
a well-formed workflow command. Inputs: the formats test data, a broken file and a hostile one
(control characters, markup, '%', newlines; a file name with ',', ':' and '%').
Run: tests/cli/check_formats.py ALB_WEBHOOK_BINARY TESTDATA_CHECK_DIR  (exit 77: no binary)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

LEVELS = {"none", "note", "warning", "error"}
COMMAND = re.compile(r"^::(error|warning) file=([^,:\r\n]+)(,line=[1-9][0-9]*)?,title=([^,:\r\n]+)::[^\r\n]*$")


def run(binary, fmt, files):
    proc = subprocess.run([binary, "check", "-o", fmt, *files], capture_output=True, check=False)
    assert proc.returncode == 2, f"{fmt}: exit {proc.returncode} (a broken file is among the inputs)"
    return proc.stdout.decode("utf-8")


def check_junit(text):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites", root.tag
    totals = {k: 0 for k in ("tests", "failures", "errors", "skipped")}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        seen = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, count in seen.items():
            assert int(suite.get(key)) == count, (suite.get("name"), key, suite.get(key), count)
            totals[key] += count
        for case in cases:
            assert case.get("name") and case.get("classname") == suite.get("name")
            assert sum(case.find(t) is not None for t in ("failure", "error", "skipped")) <= 1
    for key, count in totals.items():
        assert int(root.get(key)) == count, (key, root.get(key), count)
    assert totals["failures"] and totals["errors"] and totals["skipped"], totals
    return totals


def check_sarif(text):
    log = json.loads(text)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "alb-webhook" and driver["version"] and driver["informationUri"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    assert run_["results"], "no results"
    for result in run_["results"]:
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS and result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
    return len(run_["results"])


def check_github(text):
    lines = text.splitlines()
    assert re.match(r"^\d+ objects?: ", lines[-1]), lines[-1]
    for line in lines[:-1]:
        assert COMMAND.match(line), repr(line)
    return len(lines) - 1


def main():
    binary, data = sys.argv[1], sys.argv[2]
    if not os.access(binary, os.X_OK):
        print(f"skipped: {binary} is not built")
        return 77
    tmp = tempfile.mkdtemp(prefix="check-formats-")
    try:
        hostile = os.path.join(tmp, "a,b:c%.yaml")
        shutil.copy(os.path.join(data, "formats", "hostile.yaml"), hostile)
        files = [os.path.join(data, "formats", n) for n in ("multi.yaml", "list.yaml", "ingress.json")]
        files += [hostile, os.path.join(data, "broken.yaml")]
        print("junit:", check_junit(run(binary, "junit", files)))
        print("sarif results:", check_sarif(run(binary, "sarif", files)))
        print("github commands:", check_github(run(binary, "github", files)))
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
