"""The floor of the app's resident memory: a bare WebKitGTK window showing a blank page.

Usage (under xvfb-run, with Debian's python3 and its python3-gi + gir1.2-webkit2-4.1):
    /usr/bin/python3 webkit_blank.py RUNS
Each run starts this script again as a child process that opens a GTK 3 window of the app's
size (1100 x 800) with one WebKit2 4.1 web view — the engine Tauri uses on Linux — with the
app's setting (accelerated compositing never used), loads a one-line HTML page, waits a second
after it has loaded (as app_start.py does for the app), and sums the proportional set size
(PSS) of itself and its WebKit processes. Prints one JSON line with the median.
"""
import json
import os
import statistics
import subprocess
import sys

from app_start import pss, tree


def window():
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("WebKit2", "4.1")
    from gi.repository import GLib, Gtk, WebKit2

    win = Gtk.Window()
    win.set_default_size(1100, 800)
    view = WebKit2.WebView()
    view.get_settings().set_hardware_acceleration_policy(
        WebKit2.HardwareAccelerationPolicy.NEVER)
    win.add(view)

    def measure():
        total = sum(pss(p) for p in tree(os.getpid()))
        print(json.dumps({"pss_mib": total / 1024}), flush=True)
        Gtk.main_quit()
        return False

    def loaded(_view, event):
        if event == WebKit2.LoadEvent.FINISHED:
            GLib.timeout_add(1000, measure)

    view.connect("load-changed", loaded)
    view.load_html("<!doctype html><html><body><p>blank</p></body></html>", "about:blank")
    win.show_all()
    GLib.timeout_add(30000, Gtk.main_quit)
    Gtk.main()


def main():
    if sys.argv[1] == "--window":
        window()
        return
    runs = int(sys.argv[1])
    figures = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--window"], capture_output=True,
                             text=True, timeout=60)
        lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
        if not lines:
            raise SystemExit("the blank WebKitGTK window never measured itself: "
                             + out.stderr.strip()[-300:])
        figures.append(json.loads(lines[-1])["pss_mib"])
    print(json.dumps({"median_pss_mib": statistics.median(figures), "runs": figures}))


if __name__ == "__main__":
    main()
