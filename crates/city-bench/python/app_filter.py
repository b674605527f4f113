"""Filtering a long record list in the app, over WebDriver (tauri-driver + WebKitWebDriver).

Usage (under xvfb-run): app_filter.py APP_BINARY STORE RUNS
Starts the app on STORE (a borough store with 10,000 systems), opens the Systems list from the
task list, then for each of RUNS search terms sets the search box's value and fires its input
event inside the page, and measures with performance.now() until the list's DOM shows the new
count (after the page's own microtasks and a zero timeout; painting is not included). Also
reads the list's own filter time (data-filter-ms). Prints one JSON line with the medians.
"""
import json
import statistics
import subprocess
import sys
import time

import app_start
from app_start import call, new_session, wait_port

TERMS = ["housing", "Civica", "payments 1", "Mosaic", "portal", "zzz-no-match",
         "records", "Idox", "mapping 9", "Oracle", "workflow", "Netcall"]

MEASURE = """
const term = arguments[0];
const done = arguments[arguments.length - 1];
const input = document.getElementById('list-search');
const count = document.getElementById('list-count');
const before = count.textContent;
const t0 = performance.now();
input.value = term;
input.dispatchEvent(new Event('input', { bubbles: true }));
setTimeout(() => done([performance.now() - t0, before, count.textContent,
                        count.dataset.filterMs || null]), 0);
"""


def wait_for(session, css, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            el = call("POST", f"/session/{session}/element",
                      {"using": "css selector", "value": css})["value"]
            ref = list(el.values())[0]
            text = call("GET", f"/session/{session}/element/{ref}/text")["value"]
            if text:
                return ref, text
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{css} never appeared")


def main():
    binary, store, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    import os
    env = dict(os.environ, CITY_TOOLS_STORE=store)
    app_start.use_ports(19)
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(app_start.PORT), "--native-port", str(app_start.NATIVE_PORT),
         "--native-driver", "/usr/bin/WebKitWebDriver"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_port()
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "wry", "tauri:options": {"application": binary}}}}
        session, _ = new_session(caps)
        link, _ = wait_for(session, "#link-systems")
        call("POST", f"/session/{session}/element/{link}/click", {})
        _, first = wait_for(session, "#list-count")
        times, own, changed = [], [], 0
        for i in range(max(runs, 1) * 2):
            term = TERMS[i % len(TERMS)]
            out = call("POST", f"/session/{session}/execute/async",
                       {"script": MEASURE, "args": [term]})["value"]
            ms, before, after, filter_ms = out
            times.append(ms)
            if filter_ms is not None:
                own.append(float(filter_ms))
            if before != after:
                changed += 1
        try:
            call("DELETE", f"/session/{session}")
        except Exception:
            pass
        print(json.dumps({
            "median_ms": statistics.median(times),
            "median_filter_ms": statistics.median(own) if own else None,
            "searches": len(times),
            "count_changed": changed,
            "first_count": first,
        }))
    finally:
        driver.terminate()
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver.kill()


if __name__ == "__main__":
    main()
