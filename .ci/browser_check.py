#!/usr/bin/env python3
"""Opens each HTML report in headless Chromium and fails on what a reader would hit.

For every file and at desktop (1280x900) and phone (390x844, mobile emulation) sizes it records a
screenshot of the first screen (NAME-desktop.png, NAME-phone.png) and of the whole page in parts two
windows tall (NAME-desktop-p01.png, …; at most MAX_FULL_HEIGHT pixels) in the screenshot directory, and fails when the page
logs a console error or an uncaught exception, makes a request that is not for the file itself (anything
external, or any request that fails), or is wider than the window
(document.documentElement.scrollWidth > window.innerWidth).

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
            shot = page.call("Page.captureScreenshot", format="png")
            with open(os.path.join(out_dir, f"{name}-{label}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
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
