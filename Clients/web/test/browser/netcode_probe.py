#!/usr/bin/env python3
"""Plays Arena in headless Chromium for a while and prints the web client's netcode telemetry.

Meant to run through the link conditioner, so a person or a script sees what a real browser
makes of a bad link (the Swift bots' side is `arbiter-bench netcode`):

  arbiter-server --port 8080 --fill-bots 8 &
  arbiter-bench link --listen 127.0.0.1:8081 --upstream 127.0.0.1:8080 --profile wan150 --duration 60 &
  netcode_probe.py http://127.0.0.1:8081/ --seconds 20

The own ship moves freely (right, down, left, up, a second each, over and over). At the end it
prints one JSON object: the figures of window.arbiter.net (Clients/web/README.md, "Telemetry")
plus the corrections per minute played. Needs what play_test.py needs.
"""

import argparse
import json
import sys
import time

from selenium.webdriver.common.action_chains import ActionChains

from play_test import Failure, arbiter, join, start_browser

KEYS = ("d", "s", "a", "w")


def probe(url, seconds):
    driver = start_browser()
    try:
        join(driver, url, timeout=30)
        start = time.monotonic()
        step = 0
        while time.monotonic() - start < seconds:
            ActionChains(driver).key_down(KEYS[step % 4]).pause(1.0).key_up(KEYS[step % 4]).perform()
            step += 1
        played = time.monotonic() - start
        net = arbiter(driver, "net") or {}
        state = arbiter(driver, "state")
        if state != "playing":
            raise Failure(f"connection state at the end: {state} ({arbiter(driver, 'lastError')})")
        corrections = net.get("corrections", 0)
        net["seconds"] = round(played, 1)
        net["correctionsPerMin"] = round(corrections / played * 60, 2) if played > 0 else None
        return net
    finally:
        driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8081/")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    try:
        print(json.dumps(probe(args.url, args.seconds), sort_keys=True))
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
