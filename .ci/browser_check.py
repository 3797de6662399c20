#!/usr/bin/env python3
"""Opens each HTML report in headless Chromium and fails on what a reader would hit.

For every file and at desktop (1280x900) and phone (390x844, mobile emulation) sizes it records a
screenshot of the first screen (NAME-desktop.png, NAME-phone.png), the same in the dark colour scheme
(NAME-desktop-dark.png, NAME-phone-dark.png) and of the whole page in parts two windows tall
(NAME-desktop-p01.png, …; at most MAX_FULL_HEIGHT pixels) in the screenshot directory, and fails when the page
- logs a console error or an uncaught exception, makes a request that is not for the file itself (anything
  external, or any request that fails), or is wider than the window
  (document.documentElement.scrollWidth > window.innerWidth);
- shows chart text smaller than 12 px: for every <text> of a displayed chart SVG, its computed font size times
  the scale of its screen transform (the length of the first column of getScreenCTM(), so the viewBox's scaling
  and any rotation count) is below MIN_CHART_TEXT_PX;
- has a clipped table header: a displayed <thead> cell whose content is wider than its box
  (scrollWidth > clientWidth), or that reaches beyond the right edge of its scroll container (the table's
  wrapper) at the initial scroll position, so that part of it is hidden until the reader scrolls; and an
  empty header cell (no text) anywhere. Below 40rem the reports show table rows as cards and hide the header
  row visually: then the check is that every body cell carries its column heading (data-label);
- marks a point off its curve: every chart marker that names its series (path.marker[data-series]) must lie
  within MAX_MARKER_DISTANCE_PX rendered pixels of that series' line (path.curve with the same data-series),
  measured from the marker's centre to points sampled every 0.25 user units along the line;
- loses a data table in print: with print media emulated, every chart's collapsed data table
  (details.data-table) must be shown: its table visible (checkVisibility(), which is false inside a closed
  <details>) and of non-zero height.

Drives Chromium over the DevTools protocol with the Python standard library only (a small WebSocket client
below). Usage: browser_check.py [--chromium PATH] [--out DIR] FILE.html...
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

SIZES = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]
# The tallest full-page screenshot taken; longer pages are cut (the overflow check covers the whole page).
MAX_FULL_HEIGHT = 12000
TIMEOUT = 30.0
MIN_CHART_TEXT_PX = 12.0
MAX_MARKER_DISTANCE_PX = 2.0


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), text frames in, enough for DevTools."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parsed.path + (("?" + parsed.query) if parsed.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("DevTools refused the WebSocket: " + head.split(b"\r\n")[0].decode())

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (9, 10):  # ping, pong: DevTools does not send them in practice
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    """One DevTools page target: commands with ids, events collected while waiting."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise RuntimeError(f"{method}: no answer within {TIMEOUT} s")

    def wait_for(self, method):
        deadline = time.time() + TIMEOUT
        for e in self.events:
            if e["method"] == method:
                return
        while time.time() < deadline:
            message = json.loads(self.ws.receive())
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return
        raise RuntimeError(f"no {method} within {TIMEOUT} s")


def launch(chromium, profile):
    process = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
         "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        m = re.search(r"DevTools listening on ws://([^/]+)/", line)
        if m:
            return process, m.group(1)
    process.kill()
    raise RuntimeError("Chromium did not start its DevTools endpoint")


def new_page(host):
    request = urllib.request.Request(f"http://{host}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as r:
        target = json.load(r)
    return target["id"], Page(WebSocket(target["webSocketDebuggerUrl"]))


def close_page(host, ident):
    with urllib.request.urlopen(f"http://{host}/json/close/{ident}", timeout=TIMEOUT):
        pass


OVERFLOW_SCRIPT = """(() => {
  const w = window.innerWidth;
  const wide = [];
  // Elements sticking out of the window that are not inside a scrolling container (a table wrapper or a
  // <pre> scrolls inside itself, which is fine).
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= w + 0.5) continue;
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible') { clipped = true; break; }
      p = p.parentElement;
    }
    if (!clipped) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') + ' right=' + Math.round(r.right));
    if (wide.length >= 5) break;
  }
  return JSON.stringify({scrollWidth: document.documentElement.scrollWidth, innerWidth: w,
                         height: document.documentElement.scrollHeight, wide: wide});
})()"""


READING_SCRIPT = """(() => {
  const problems = [];
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const name = svg => (svg.querySelector('title') || {}).textContent || svg.id || 'a chart';
  // Chart text: computed font size times the screen scale of the text's own transform.
  for (const svg of document.querySelectorAll('svg')) {
    if (!shown(svg)) continue;
    let smallest = null;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const m = t.getScreenCTM();
      if (!m) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < MIN_TEXT - 0.005 && (!smallest || px < smallest.px)) smallest = {px, text: t.textContent.trim().slice(0, 40)};
    }
    if (smallest) problems.push(`chart text ${smallest.px.toFixed(1)} px < ${MIN_TEXT} px ("${smallest.text}") in "${name(svg)}"`);
    // Markers on their curves.
    const scale = Math.hypot(svg.getScreenCTM().a, svg.getScreenCTM().b);
    for (const marker of svg.querySelectorAll('path.marker[data-series]')) {
      const curve = [...svg.querySelectorAll('path.curve')].find(c => c.dataset.series === marker.dataset.series);
      if (!curve) { problems.push(`marker "${marker.textContent}" names series "${marker.dataset.series}", which has no line, in "${name(svg)}"`); continue; }
      const b = marker.getBBox(), cx = b.x + b.width / 2, cy = b.y + b.height / 2;
      const length = curve.getTotalLength();
      let best = Infinity;
      for (let s = 0; s <= length + 0.25; s += 0.25) {
        const p = curve.getPointAtLength(Math.min(s, length));
        best = Math.min(best, Math.hypot(p.x - cx, p.y - cy));
      }
      if (best * scale > MAX_MARKER) problems.push(`marker "${marker.textContent}" is ${(best * scale).toFixed(1)} px from its curve "${marker.dataset.series}" in "${name(svg)}"`);
    }
  }
  // Table headers.
  for (const th of document.querySelectorAll('thead th')) {
    const caption = (th.closest('table').querySelector('caption') || {}).textContent || 'a table';
    if (!th.textContent.trim()) { problems.push(`empty header cell in "${caption}"`); continue; }
    const head = th.closest('thead').getBoundingClientRect();
    if (head.width <= 1 || head.height <= 1) continue;  // the header row is hidden: rows are cards
    if (th.scrollWidth > th.clientWidth + 1) { problems.push(`header "${th.textContent}" overflows its cell (${th.scrollWidth} > ${th.clientWidth}) in "${caption}"`); continue; }
    const wrap = th.closest('.table-wrap');
    if (wrap && th.getBoundingClientRect().right > wrap.getBoundingClientRect().right + 0.5)
      problems.push(`header "${th.textContent}" is cut by its scroll container (right ${Math.round(th.getBoundingClientRect().right)} > ${Math.round(wrap.getBoundingClientRect().right)}) in "${caption}"`);
  }
  // Cards: every body cell of a table whose header row is hidden says which column it is in.
  for (const table of document.querySelectorAll('.table-wrap table')) {
    const head = table.querySelector('thead');
    if (!head || head.getBoundingClientRect().height > 1) continue;
    const unlabelled = [...table.querySelectorAll('tbody td, tbody th')].filter(c => !(c.dataset.label || '').trim()).length;
    if (unlabelled) problems.push(`${unlabelled} card cells without a column label in "${(table.querySelector('caption') || {}).textContent}"`);
  }
  return JSON.stringify(problems.slice(0, 40));
})()""".replace("MIN_TEXT", repr(MIN_CHART_TEXT_PX)).replace("MAX_MARKER", repr(MAX_MARKER_DISTANCE_PX))

PRINT_SCRIPT = """(() => {
  const missing = [];
  for (const d of document.querySelectorAll('details.data-table')) {
    const t = d.querySelector('table');
    if (!t || !t.checkVisibility() || t.getBoundingClientRect().height < 1) missing.push((d.closest('figure').querySelector('figcaption strong') || {}).textContent);
  }
  return JSON.stringify(missing);
})()"""


def check(host, path, out_dir):
    """Problems found on `path` at each size (empty: it passed); writes the screenshots."""
    problems = []
    url = "file://" + os.path.abspath(path)
    name = os.path.splitext(os.path.basename(path))[0]
    for label, width, height, mobile in SIZES:
        ident, page = new_page(host)
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                page.call(domain + ".enable")
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)
            if mobile:
                page.call("Emulation.setTouchEmulationEnabled", enabled=True)
            page.events.clear()
            page.call("Page.navigate", url=url)
            page.wait_for("Page.loadEventFired")
            metrics = json.loads(page.call("Runtime.evaluate", expression=OVERFLOW_SCRIPT, returnByValue=True)["result"]["value"])
            # Events that arrive after load (late console messages) are collected by this last round trip.
            page.call("Runtime.evaluate", expression="1")
            where = f"{path} ({label} {width}x{height})"
            for e in page.events:
                m, p = e["method"], e.get("params", {})
                if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                    text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                    problems.append(f"{where}: console {p['type']}: {text}")
                elif m == "Runtime.exceptionThrown":
                    problems.append(f"{where}: uncaught exception: {p['exceptionDetails'].get('text', '')}")
                elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                    problems.append(f"{where}: console error ({p['entry'].get('source')}): {p['entry'].get('text', '')}")
                elif m == "Network.requestWillBeSent":
                    requested = p["request"]["url"]
                    if requested != url and not requested.startswith("data:"):
                        problems.append(f"{where}: request for {requested} (a report must not fetch anything)")
                elif m == "Network.loadingFailed":
                    problems.append(f"{where}: failed request: {p.get('errorText', '')}")
            # On a phone, content wider than the screen makes Chromium widen the layout viewport (innerWidth)
            # to fit it, so a window wider than the device is overflow too.
            if metrics["scrollWidth"] > metrics["innerWidth"] or metrics["innerWidth"] > width:
                problems.append(f"{where}: horizontal overflow: scrollWidth {metrics['scrollWidth']} > innerWidth "
                                f"{metrics['innerWidth']}; wide elements: {', '.join(metrics['wide']) or 'none found'}")
            for found in json.loads(page.call("Runtime.evaluate", expression=READING_SCRIPT, returnByValue=True)["result"]["value"]):
                problems.append(f"{where}: {found}")
            shot = page.call("Page.captureScreenshot", format="png")
            with open(os.path.join(out_dir, f"{name}-{label}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # The first screen in the dark colour scheme, and its chart text checked again (same layout).
            page.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
            shot = page.call("Page.captureScreenshot", format="png")
            with open(os.path.join(out_dir, f"{name}-{label}-dark.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            page.call("Emulation.setEmulatedMedia", features=[])
            if not mobile:
                page.call("Emulation.setEmulatedMedia", media="print")
                for lost in json.loads(page.call("Runtime.evaluate", expression=PRINT_SCRIPT, returnByValue=True)["result"]["value"]):
                    problems.append(f"{where}: in print, the data table of \"{lost}\" is not shown")
                page.call("Emulation.setEmulatedMedia", media="")
            # The whole page in parts two windows tall (one tall image is unreadable when viewed).
            full_height = min(metrics["height"], MAX_FULL_HEIGHT)
            part = 2 * height
            for n, y in enumerate(range(0, full_height, part), start=1):
                shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                 clip={"x": 0, "y": y, "width": width, "height": min(part, full_height - y), "scale": 1})
                with open(os.path.join(out_dir, f"{name}-{label}-p{n:02d}.png"), "wb") as f:
                    f.write(base64.b64decode(shot["data"]))
        finally:
            page.ws.sock.close()
            close_page(host, ident)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--out", default="reports/screenshots")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):
        if old.endswith(".png"):
            os.remove(os.path.join(args.out, old))
    profile = tempfile.mkdtemp(prefix="peerlens-browser-check-")
    process, host = launch(args.chromium, profile)
    problems = []
    try:
        for path in args.files:
            found = check(host, path, args.out)
            print(("FAIL " if found else "ok   ") + path, flush=True)
            problems += found
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(args.files)} files at {len(SIZES)} sizes; screenshots in {args.out}; "
          + (f"{len(problems)} problems" if problems else "no problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
