#!/usr/bin/env python3
"""cdp.py: drives headless Chromium through its DevTools protocol, so that
tests can use an SVG as a person would: real mouse events (hover, click),
what the page then shows, and a screenshot. Python 3 standard library only.

  cdp.py check-flamegraph FILE.svg [--frame NAME] [--screenshot PNG]
                                   [--zoomed-screenshot PNG] [--chromium PATH]
                                   [--timeout SECONDS] [--workdir DIR]

opens a flame graph (daemon/analysis/flame.c's SVG), and prints its facts as
one JSON object: frames drawn, the title, the hovered frame's details line,
the zoom (the clicked frame's width before, after and after "Reset zoom",
its ancestors', how many frames were hidden), JavaScript errors, and how
many screenshot pixels have the widest frames' colours. The frame is NAME's
(the first drawn frame of that name), else the widest below the root that is
narrower than the graph. Exits 1 with a message on standard error when
Chromium cannot be started or does not answer; 2 on a usage error.

The transport is --remote-debugging-pipe: Chromium reads JSON messages, each
ended by a NUL byte, on its descriptor 3 and writes its own on descriptor 4.
Commands go to the browser; a page is reached through a flat session
(Target.attachToTarget with flatten), whose id each command then carries.
"""
import argparse
import base64
import collections
import fcntl
import importlib.util
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time


class ChromiumError(Exception):
    pass


class Chromium:
    """One headless Chromium with a fresh profile in a temporary directory."""

    def __init__(self, binary="chromium", timeout=30.0, workdir=None):
        path = shutil.which(binary)
        if not path:
            raise ChromiumError("no '%s' on PATH" % binary)
        self.timeout = timeout
        self.tmp = tempfile.TemporaryDirectory(prefix="cdp.", dir=workdir)
        self.log = os.path.join(self.tmp.name, "chromium.log")
        self.buf = b""
        self.next_id = 0
        self.events = collections.deque()
        cmd_r, self.cmd_w = os.pipe()
        self.evt_r, evt_w = os.pipe()
        # the child's ends moved above 10: a dup2 onto 3 or 4 from a pipe
        # that already had that number would do nothing and leave the
        # descriptor close-on-exec, so Chromium would never see it
        child_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_w = fcntl.fcntl(evt_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(evt_w)
        argv = [path, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + os.path.join(self.tmp.name, "profile"), "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--mute-audio", "about:blank"]
        actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, self.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
                   (os.POSIX_SPAWN_DUP2, 1, 2),
                   (os.POSIX_SPAWN_DUP2, child_r, 3),
                   (os.POSIX_SPAWN_DUP2, child_w, 4)]
        try:
            self.pid = os.posix_spawn(path, argv, os.environ, file_actions=actions, setpgroup=0)
        except OSError as e:
            raise ChromiumError("cannot start %s: %s" % (path, e))
        finally:
            os.close(child_r)
            os.close(child_w)
        self.session = None

    def _log_tail(self):
        try:
            with open(self.log, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return ""
        return "\n".join("  " + l for l in lines[-15:])

    def _fail(self, what):
        tail = self._log_tail()
        return ChromiumError(what + ("; chromium's output ends:\n" + tail if tail else ""))

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._fail("chromium did not answer within %.0f s" % self.timeout)
            ready, _, _ = select.select([self.evt_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.evt_r, 1 << 20)
            if not chunk:
                raise self._fail("chromium closed its DevTools pipe (it exited?)")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        """Sends a command (to the page's session unless session is False)
        and returns its result; a protocol error raises ChromiumError."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.cmd_w, data):]
        except BrokenPipeError:
            raise self._fail("chromium closed its DevTools pipe (it exited?)")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise ChromiumError("%s: %s" % (method, m["error"].get("message", m["error"])))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        for i, m in enumerate(self.events):
            if m["method"] == method:
                del self.events[i]
                return m.get("params", {})
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method:
                return m.get("params", {})
            if "method" in m:
                self.events.append(m)

    def exceptions(self):
        """The JavaScript exceptions seen so far, as their descriptions."""
        return [m["params"]["exceptionDetails"].get("exception", {}).get("description")
                or m["params"]["exceptionDetails"].get("text", "?")
                for m in self.events if m["method"] == "Runtime.exceptionThrown"]

    def open(self, url, width=1200, height=800):
        """A new page, attached, sized width x height, showing url."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.resize(width, height)
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def resize(self, width, height):
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": int(width), "height": int(height), "deviceScaleFactor": 1, "mobile": False})

    def eval(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise ChromiumError("evaluating %s: %s" % (expression[:60],
                                d.get("exception", {}).get("description") or d.get("text")))
        return r["result"].get("value")

    def mouse(self, kind, x, y):
        p = {"type": kind, "x": x, "y": y}
        if kind != "mouseMoved":
            p.update(button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", p)

    def click(self, x, y):
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y)
        self.mouse("mouseReleased", x, y)

    def screenshot(self, path, width, height):
        r = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                 "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                          "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    def close(self):
        try:
            if self.pid:
                try:
                    self.send("Browser.close", session=False)
                except ChromiumError:
                    pass
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    if os.waitpid(self.pid, os.WNOHANG)[0]:
                        break
                    time.sleep(0.05)
                else:
                    os.killpg(self.pid, signal.SIGKILL)  # its own group: its helpers too
                    os.waitpid(self.pid, 0)
                self.pid = None
        finally:
            os.close(self.cmd_w)
            os.close(self.evt_r)
            self.tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---- flame graphs ---------------------------------------------------------

# Page-side helpers: a frame by its pre-order index, and its geometry.
JS_HELPERS = r"""
window.__cdp = {
  frames: function () { return Array.prototype.slice.call(document.querySelectorAll("g.f")); },
  byIndex: function (i) { return document.querySelector('g.f[data-i="' + i + '"]'); },
  shown: function (g) { return getComputedStyle(g).display !== "none"; },
  width: function (g) { return +g.querySelector("rect").getAttribute("width"); },
  centre: function (el) {
    var b = el.getBoundingClientRect();
    return [b.left + b.width / 2, b.top + b.height / 2];
  },
  ancestors: function (g) {
    var i = +g.getAttribute("data-i");
    return this.frames().filter(function (a) {
      return a !== g && +a.getAttribute("data-i") <= i && i <= +a.getAttribute("data-e");
    });
  },
  children: function (g) {
    var i = +g.getAttribute("data-i"), e = +g.getAttribute("data-e"), d = +g.getAttribute("data-d");
    return this.frames().filter(function (c) {
      var ci = +c.getAttribute("data-i");
      return i < ci && ci <= e && +c.getAttribute("data-d") === d + 1;
    });
  }
};
"""

JS_PICK = r"""
(function (want) {
  var c = window.__cdp, full = +document.documentElement.getAttribute("data-full"), best = null;
  c.frames().forEach(function (g) {
    if (want !== null) {
      if (!best && g.getAttribute("data-n") === want) best = g;
    } else if (+g.getAttribute("data-d") > 0 && c.width(g) < 0.9 * full && (!best || c.width(g) > c.width(best))) {
      best = g;
    }
  });
  return best ? +best.getAttribute("data-i") : null;
})(%s)
"""

JS_STATE = r"""
(function (i) {
  var c = window.__cdp, g = c.byIndex(i), frames = c.frames();
  return {
    width: c.width(g),
    x: +g.querySelector("rect").getAttribute("x"),
    ancestors: c.ancestors(g).map(c.width),
    children: c.children(g).map(function (k) { return [k.getAttribute("data-n"), c.width(k)]; }),
    hidden: frames.filter(function (f) { return !c.shown(f); }).length,
    label: g.querySelector("text").textContent,
    details: document.getElementById("details").textContent,
    reset_shown: getComputedStyle(document.getElementById("reset")).display !== "none"
  };
})(%d)
"""


def load_png_colours():
    """tests/lib/png-colours.py, beside this file, for its PNG decoder."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "png-colours.py")
    spec = importlib.util.spec_from_file_location("png_colours", here)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def colour_pixels(png, colours):
    """For each "#rrggbb", how many pixels of png are within 8 per channel."""
    seen = collections.Counter()
    for row in load_png_colours().rows(png):
        seen.update(row)
    out = {}
    for c in colours:
        want = tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
        out[c] = sum(n for px, n in seen.items() if all(abs(px[k] - want[k]) <= 8 for k in range(3)))
    return out


def check_flamegraph(args):
    svg = os.path.abspath(args.file)
    if not os.path.isfile(svg):
        raise ChromiumError("no such file '%s'" % args.file)
    facts = {"file": args.file}
    with Chromium(args.chromium, args.timeout, workdir=args.workdir) as b:
        b.open("file://" + svg)
        if b.eval("document.documentElement.localName") != "svg":
            raise ChromiumError("'%s' did not load as an SVG document" % args.file)
        width, height = b.eval("[document.documentElement.width.baseVal.value,"
                               " document.documentElement.height.baseVal.value]")
        b.resize(width, height)
        b.eval(JS_HELPERS)
        facts["size"] = [width, height]
        facts["title"] = b.eval("(document.getElementById('title') || {}).textContent")
        facts["frames"] = b.eval("__cdp.frames().filter(function (g) {"
                                 " return __cdp.shown(g) && __cdp.width(g) > 0; }).length")
        facts["full"] = b.eval("+document.documentElement.getAttribute('data-full')")
        if args.screenshot:
            b.screenshot(args.screenshot, width, height)
            fills = b.eval("__cdp.frames().sort(function (a, b) { return __cdp.width(b) - __cdp.width(a); })"
                           ".slice(0, 6).map(function (g) { return g.querySelector('rect').getAttribute('fill'); })")
            facts["screenshot"] = args.screenshot
            facts["colour_pixels"] = colour_pixels(args.screenshot, sorted(set(fills)))
        i = b.eval(JS_PICK % json.dumps(args.frame))
        if i is None:
            facts["error"] = "no frame to hover and click" + (" named '%s'" % args.frame if args.frame else "")
            facts["js_errors"] = b.exceptions()
            return facts, 1
        facts["target"] = b.eval("__cdp.byIndex(%d).getAttribute('data-n')" % i)
        x, y = b.eval("__cdp.centre(__cdp.byIndex(%d).querySelector('rect'))" % i)
        b.mouse("mouseMoved", 1, 1)
        before = b.eval(JS_STATE % i)
        b.mouse("mouseMoved", x, y)
        hovered = b.eval(JS_STATE % i)
        facts["hover"] = {"before": before["details"], "text": hovered["details"],
                          "title": b.eval("__cdp.byIndex(%d).querySelector('title').textContent" % i)}
        b.click(x, y)
        zoomed = b.eval(JS_STATE % i)
        if args.zoomed_screenshot:
            b.screenshot(args.zoomed_screenshot, width, height)
        rx, ry = b.eval("__cdp.centre(document.getElementById('reset'))")
        b.click(rx, ry)
        reset = b.eval(JS_STATE % i)
        facts["zoom"] = {
            "before": before["width"], "after": zoomed["width"], "x_after": zoomed["x"],
            "ancestors_after": zoomed["ancestors"], "children_before": before["children"],
            "children_after": zoomed["children"], "label_after": zoomed["label"],
            "hidden_before": before["hidden"], "hidden_after": zoomed["hidden"],
            "reset_shown_before": before["reset_shown"], "reset_shown_after": zoomed["reset_shown"],
            "after_reset": reset["width"], "hidden_after_reset": reset["hidden"],
            "reset_shown_after_reset": reset["reset_shown"],
        }
        facts["js_errors"] = b.exceptions()
    return facts, 0


def main():
    p = argparse.ArgumentParser(description="drive headless Chromium over its DevTools pipe")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check-flamegraph", help="hover and zoom a flame graph SVG; print its facts as JSON")
    c.add_argument("file")
    c.add_argument("--frame", help="the frame to hover and click (its name); default: the widest narrower one")
    c.add_argument("--screenshot", help="save a PNG of the graph as loaded, and count its frame colours")
    c.add_argument("--zoomed-screenshot", help="save a PNG of the graph zoomed to the frame, still hovered")
    c.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"), help="the browser (chromium)")
    c.add_argument("--timeout", type=float, default=30, help="seconds to wait for each answer (30)")
    c.add_argument("--workdir", help="where the browser's temporary profile goes (TMPDIR)")
    args = p.parse_args()
    try:
        facts, rc = check_flamegraph(args)
    except ChromiumError as e:
        print("cdp.py: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps(facts, indent=1))
    return rc


if __name__ == "__main__":
    sys.exit(main())
