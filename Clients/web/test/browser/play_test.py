#!/usr/bin/env python3
"""Plays Arena in a real headless Chromium against a running Arbiter server.

Joins from the join screen, holds `d` for a second, then checks through window.arbiter that the
own ship moved right (+x, predicted and confirmed by the server), that at least MIN_OTHERS other
players were drawn, that the browser console has no errors, and that the canvas is not blank.

Over https:// it also checks the page is a secure context: the game socket is then wss://
(a ws:// socket from an https page is blocked as mixed content, so playing proves it).

Usage: play_test.py [URL] [--screenshot PATH] [--trust-spki HASH]
  URL defaults to $ARBITER_URL or http://127.0.0.1:8080/; the screenshot path to
  $ARBITER_SCREENSHOT or arena.png. --trust-spki makes Chromium accept a self-signed server
  certificate with that public key (base64 SHA-256 of its SPKI) and no other.
  Needs: pip selenium (4.x); apt chromium chromium-driver.
"""

import argparse
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MIN_OTHERS = int(os.environ.get("ARBITER_MIN_OTHERS", "4"))


class Failure(Exception):
    pass


def wait_for(driver, script, timeout, what):
    """Polls a JS expression until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(script)
        if value:
            return value
        if time.monotonic() > deadline:
            state = driver.execute_script(
                "return window.arbiter ? {state: arbiter.state, lastError: arbiter.lastError} : null")
            raise Failure(f"timed out after {timeout}s waiting for {what}; client: {json.dumps(state)}")
        time.sleep(0.1)


def arbiter(driver, field):
    return driver.execute_script(f"return window.arbiter.{field}")


# Distinct colours in a grid of samples over the whole canvas (a blank canvas has one).
CANVAS_VARIETY = """
const c = document.getElementById('view');
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
const seen = new Set();
const stepX = Math.max(1, Math.floor(c.width / 160)), stepY = Math.max(1, Math.floor(c.height / 100));
for (let y = 0; y < c.height; y += stepY) for (let x = 0; x < c.width; x += stepX) {
  const i = (y * c.width + x) * 4;
  seen.add((d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | (d[i + 2] >> 3));
}
return { colors: seen.size, width: c.width, height: c.height };
"""


def start_browser(trust_spki=None):
    """Headless Chromium with the browser console captured."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800"):
        options.add_argument(arg)
    if trust_spki:
        # Only this key is excused, unlike --ignore-certificate-errors (which excuses any).
        options.add_argument(f"--ignore-certificate-errors-spki-list={trust_spki}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def join(driver, url, timeout=15):
    """Opens the page, quick-joins as "selenium" and waits until the own ship is known."""
    driver.get(url)
    wait_for(driver, "return Boolean(window.arbiter)", 10, "the client to load (window.arbiter)")
    name = driver.find_element(By.ID, "name")
    name.clear()
    name.send_keys("selenium")
    driver.find_element(By.ID, "quick-join").click()
    wait_for(driver,
             "const a = window.arbiter; if (a.state === 'refused' || a.state === 'closed') "
             "throw new Error('refused: ' + a.lastError); return a.state === 'playing' && a.ownPosition",
             timeout, "the game to start (state playing with an own position)")


def run(url, screenshot, trust_spki=None):
    driver = start_browser(trust_spki)
    try:
        join(driver, url)
        if url.startswith("https://"):
            page = driver.execute_script("return {protocol: location.protocol, secure: window.isSecureContext}")
            print(f"page over {page['protocol']} (secure context: {page['secure']}); the game socket is wss://")
            if page["protocol"] != "https:" or not page["secure"]:
                raise Failure(f"expected an https page in a secure context, got {page}")
        time.sleep(1.0)  # let the spawn settle
        start = arbiter(driver, "ownPosition")
        start_confirmed = arbiter(driver, "confirmedPosition")
        ActionChains(driver).key_down("d").pause(1.0).key_up("d").perform()
        end = arbiter(driver, "ownPosition")
        time.sleep(0.5)  # the server's view catches up with the last inputs
        end_confirmed = arbiter(driver, "confirmedPosition")
        dx, dy = end["x"] - start["x"], end["y"] - start["y"]
        cdx = end_confirmed["x"] - start_confirmed["x"]
        print(f"own ship: predicted {start} -> {end} (dx {dx:.2f}, dy {dy:.2f}); confirmed dx {cdx:.2f}")
        if not (dx > 1 and dx > 2 * abs(dy)):
            raise Failure(f"holding d should move the ship right (+x): dx {dx:.2f}, dy {dy:.2f}")
        if not cdx > 1:
            raise Failure(f"the server did not confirm the move right: confirmed dx {cdx:.2f}")

        # Bots die and respawn all the time, so count the distinct other ships drawn over a while.
        seen, most = set(), 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(seen) < MIN_OTHERS:
            seen.update(arbiter(driver, "otherIdsDrawn") or [])
            most = max(most, arbiter(driver, "othersDrawn") or 0)
            time.sleep(0.05)
        print(f"other players drawn: {len(seen)} distinct, {most} at once; "
              f"in the newest snapshot: {arbiter(driver, 'playersKnown')}")
        if len(seen) < MIN_OTHERS:
            raise Failure(f"expected at least {MIN_OTHERS} other players drawn, saw {len(seen)} "
                          f"(state {arbiter(driver, 'state')}, last error {arbiter(driver, 'lastError')})")

        ActionChains(driver).send_keys("n").perform()  # the net graph overlay
        time.sleep(0.4)
        graph = driver.find_element(By.ID, "netgraph")
        if not graph.is_displayed() or "ping" not in graph.text:
            raise Failure("pressing n should show the net graph")
        net = arbiter(driver, "net")
        print("net:", json.dumps(net))
        driver.save_screenshot(screenshot)
        print(f"screenshot: {screenshot}")
        variety = driver.execute_script(CANVAS_VARIETY)
        print(f"canvas {variety['width']}x{variety['height']}: {variety['colors']} distinct colours sampled")
        if variety["colors"] < 8:
            raise Failure(f"the canvas looks blank ({variety['colors']} colours)")

        logs = driver.get_log("browser")
        severe = [entry for entry in logs if entry.get("level") == "SEVERE"]
        for entry in logs:
            print(f"console {entry.get('level')}: {entry.get('message')}")
        if severe:
            raise Failure(f"{len(severe)} console error(s), first: {severe[0].get('message')}")
        state = arbiter(driver, "state")
        if state != "playing":
            raise Failure(f"connection state at the end: {state} ({arbiter(driver, 'lastError')})")
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default=os.environ.get("ARBITER_URL", "http://127.0.0.1:8080/"))
    parser.add_argument("--screenshot", default=os.environ.get("ARBITER_SCREENSHOT", "arena.png"))
    parser.add_argument("--trust-spki", help="base64 SHA-256 of the server certificate's public key to accept")
    args = parser.parse_args()
    try:
        run(args.url, args.screenshot, args.trust_spki)
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
