"""The app's cold start and resident memory, over WebDriver (tauri-driver + WebKitWebDriver).

Usage (under xvfb-run): app_start.py APP_BINARY STORE RUNS
For each run: start tauri-driver, time from the new-session request (which launches the app
with CITY_TOOLS_STORE=STORE) until the task list shows the Systems section's state
(`#status-systems` has text), wait a second, then read the resident memory of the app and its
descendant processes (WebKitWebProcess, WebKitNetworkProcess) from /proc. Prints one JSON line
with the medians. Standard library only.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

PORT = 4454
NATIVE_PORT = 4455
READY_CSS = "#status-systems"


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"{}")


def new_session(caps):
    """POST /session, retried while WebKitWebDriver behind tauri-driver is still starting (the
    driver then drops the connection). Returns the session id and when the request that
    worked was sent."""
    for attempt in range(20):
        t0 = time.perf_counter()
        try:
            return call("POST", "/session", caps)["value"]["sessionId"], t0
        except (ConnectionError, OSError):
            time.sleep(0.25)
    raise SystemExit("tauri-driver never opened a session")


def wait_port():
    t0 = time.time()
    while time.time() - t0 < 20:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("tauri-driver did not start")


def children(pid):
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == pid:
            out.append(int(p))
    return out


def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def find_app(binary):
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.readlink(f"/proc/{p}/exe") == binary:
                    return int(p)
            except OSError:
                pass
    return None


def use_ports(run):
    """A fresh port pair per run: a driver that is still shutting down keeps its ports."""
    global PORT, NATIVE_PORT
    PORT = 4454 + 2 * (run % 20)
    NATIVE_PORT = PORT + 1


def once(binary, store, run=0):
    use_ports(run)
    env = dict(os.environ, CITY_TOOLS_STORE=store)
    driver = subprocess.Popen(
        ["tauri-driver", "--port", str(PORT), "--native-port", str(NATIVE_PORT),
         "--native-driver", "/usr/bin/WebKitWebDriver"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_port()
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "wry", "tauri:options": {"application": binary}}}}
        session, t0 = new_session(caps)
        ready = None
        while time.perf_counter() - t0 < 60:
            try:
                el = call("POST", f"/session/{session}/element",
                          {"using": "css selector", "value": READY_CSS})["value"]
                ref = list(el.values())[0]
                text = call("GET", f"/session/{session}/element/{ref}/text")["value"]
                if text:
                    ready = time.perf_counter() - t0
                    break
            except Exception:
                pass
            time.sleep(0.01)
        if ready is None:
            raise SystemExit("the task list never appeared")
        time.sleep(1.0)
        app = find_app(binary)
        procs = tree(app) if app else []
        rss = sum(kib(p, "VmRSS:") for p in procs)
        total_pss = sum(pss(p) for p in procs)
        detail = ", ".join(f"{name(p)} {kib(p, 'VmRSS:') / 1024:.0f}" for p in procs)
        try:
            call("DELETE", f"/session/{session}")
        except Exception:
            pass
        return ready, rss / 1024, total_pss / 1024, detail
    finally:
        driver.terminate()
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            driver.kill()


def main():
    binary, store, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    results = [once(binary, store, i) for i in range(runs)]
    print(json.dumps({
        "median_start_secs": statistics.median(r[0] for r in results),
        "median_rss_mib": statistics.median(r[1] for r in results),
        "median_pss_mib": statistics.median(r[2] for r in results),
        "memory_detail": "MiB RSS per process: " + results[-1][3]
                         + f"; PSS total {statistics.median(r[2] for r in results):.0f} MiB",
        "how": "time from the WebDriver new-session request (which launches the app) to "
               "#status-systems having text, polled every 10 ms; median of "
               f"{runs} cold starts",
    }))


if __name__ == "__main__":
    main()
