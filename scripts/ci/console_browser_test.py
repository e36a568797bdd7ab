#!/usr/bin/env python3
"""The console in a real browser (headless Chromium through chromium-driver).

Run by scripts/ci/console-browser-test.sh against a bridge it started with
scripts/ci/console-bridge.yaml and the mocks of console-mock-platforms.py.
Posts a few hundred signed sales, then in the browser: is sent to sign-in
without a session, signs in, checks the overview against the admin API,
finds a sale by order id and by e-mail, replays a dead letter and watches it
delivered, filters match quality and downloads its CSV, verifies the audit
chain, is refused with a wrong CSRF token, signs out. Checks that no page
holds the fixtures' personal data and that no request left loopback.
Screenshots of every page go to $CONSOLE_ARTIFACTS.
"""
import base64
import hashlib
import hmac
import json
import os
import pathlib
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BRIDGE_URL"]
MOCK = os.environ["MOCK_URL"]
ADMIN_TOKEN = os.environ["CAPI_ADMIN_TOKEN"]
SECRET = os.environ["BACKEND_WEBHOOK_SECRET"]
ARTIFACTS = pathlib.Path(os.environ["CONSOLE_ARTIFACTS"])
SALES = int(os.environ.get("CONSOLE_SALES", "300"))
DEAD = 3

# Personal data of the fixtures: none of it may appear in any page.
FIRST_NAMES = ["Marguerite", "Bartholomew", "Ottilie"]


def email(i):
    return f"buyer.{i}@shop-customers.example"


def phone(i):
    return f"+4915{i:09d}"


def ip(i):
    return f"198.51.100.{i % 250 + 1}"


def sale(i, prefix="sale"):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "type": "conversion.purchase",
        "timestamp": now,
        "data": {
            "event_id": f"{prefix}:{i}",
            "event_name": "Purchase",
            "event_time": now,
            "order_id": f"B-{10000 + i}" if prefix == "sale" else f"D-{i}",
            "value": f"{10 + i % 90}.90",
            "currency": "EUR",
            "customer": {"email": email(i), "phone": phone(i), "first_name": FIRST_NAMES[i % 3], "external_id": f"customer-{i}"},
            "client": {"ip_address": ip(i), "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
            "consent": {"ad_user_data": "granted", "ad_personalization": "granted"},
            "test": False,
        },
    }


def post_sale(body, message_id):
    raw = json.dumps(body).encode()
    timestamp = str(int(time.time()))
    key = base64.b64decode(SECRET[len("whsec_"):])
    signature = base64.b64encode(hmac.new(key, f"{message_id}.{timestamp}.".encode() + raw, hashlib.sha256).digest()).decode()
    request = urllib.request.Request(
        f"{BASE}/v1/webhooks/backend", data=raw, method="POST",
        headers={"content-type": "application/json", "webhook-id": message_id, "webhook-timestamp": timestamp, "webhook-signature": "v1," + signature})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202, response.status


def http(url, method="GET", data=None, headers=None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def admin(path):
    status, body = http(BASE + path, headers={"authorization": "Bearer " + ADMIN_TOKEN})
    assert status == 200, (path, status, body)
    return json.loads(body)


def stats():
    return json.loads(http(MOCK + "/stats")[1])


def wait_for(condition, what, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Console:
    def __init__(self):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-default-apps", "--disable-extensions"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.downloads = ARTIFACTS / "downloads"
        self.downloads.mkdir(parents=True, exist_ok=True)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)})
        self.requests = []
        self.pages = {}

    def open(self, path):
        self.driver.get(BASE + path)
        return self.driver

    def shot(self, name):
        self.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        self.pages[name] = self.driver.page_source

    def click(self, element):
        """Clicks `element` (a CSS selector or an element) and waits for the next page."""
        if isinstance(element, str):
            element = self.find(element)
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 20).until(expected_conditions.staleness_of(page))

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def finds(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def drain_logs(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
        return [entry for entry in self.driver.get_log("browser") if entry.get("level") == "SEVERE"]


def main():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Given a few hundred sales delivered to both platforms
    for i in range(SALES):
        post_sale(sale(i), f"msg_sale_{i}")
    wait_for(lambda: len(set(stats()["meta"])) >= SALES and len(set(stats()["warehouse"])) >= SALES, "the sales to be delivered", 90)
    # And a few the warehouse refuses (dead letters)
    http(MOCK + "/control/refuse", method="POST", data=b"")
    for i in range(DEAD):
        post_sale(sale(i, prefix="refused"), f"msg_refused_{i}")
    wait_for(lambda: any(d["name"] == "warehouse" and int(d["dead_letters"]) == DEAD for d in admin("/v1/destinations")["destinations"]),
             "the dead letters", 60)
    wait_for(lambda: len(set(stats()["meta"])) >= SALES + DEAD, "meta to get the refused sales too", 30)
    http(MOCK + "/control/accept", method="POST", data=b"")

    console = Console()
    driver = console.driver
    try:
        # Without a session the console sends the browser to sign in
        console.open("/console/overview")
        check(driver.current_url.endswith("/console/sign-in"), "no session: " + driver.current_url)
        console.shot("sign-in")
        # A wrong token is refused
        console.find("#token").send_keys("not-the-token")
        console.click("form[action='/console/sign-in'] button")
        check("not accepted" in driver.page_source, "wrong token accepted?")
        # When signing in with the admin token
        console.find("#token").send_keys(ADMIN_TOKEN)
        console.click("form[action='/console/sign-in'] button")
        check(driver.current_url.endswith("/console/overview"), "after sign-in: " + driver.current_url)
        cookie = driver.get_cookie("capi_console")
        check(cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console", f"cookie {cookie}")
        console.shot("overview")

        # Then the overview shows what the store holds
        destinations = {d["name"]: d for d in admin("/v1/destinations")["destinations"]}
        for name, destination in destinations.items():
            row = console.find(f"#queue tbody tr:nth-child({list(destinations).index(name) + 1})")
            check(row.find_element(By.CSS_SELECTOR, "th").text == name, "queue row order")
            check(row.find_element(By.CSS_SELECTOR, "[data-count='dead-letters']").text == str(destination["dead_letters"]), f"{name} dead letters")
            check(row.find_element(By.CSS_SELECTOR, "[data-count='pending']").text == str(destination["pending"]), f"{name} pending")
        report = admin("/v1/reports/match-quality?since=24h")
        sent = {}
        for series in report.get("series", []):
            sent[series["destination"]] = sent.get(series["destination"], 0) + int(series["total"]["sent"])
        day = console.finds("table[data-window='24 h'] tbody tr")
        shown = {row.find_element(By.CSS_SELECTOR, "th").text: int(row.find_element(By.CSS_SELECTOR, "[data-count='delivered']").text) for row in day}
        check(shown == sent, f"overview delivered {shown} != report {sent}")
        check(shown["meta"] == SALES + DEAD and shown["warehouse"] == SALES, f"delivered {shown}")

        # Find a sale by order id, then by e-mail
        console.open("/console/sales")
        console.find("#order_id").send_keys("B-10007")
        console.click("form[action='/console/sales'][method='get'] button")
        check("sale:7" in driver.page_source, "sale by order id")
        console.shot("sales-by-order")
        console.find("#email").send_keys(email(42).upper())
        console.click("form[action='/console/sales'][method='post'] button")
        check("sale:42" in driver.page_source and "sale:7" not in driver.page_source, "sale by e-mail")
        console.shot("sales-by-email")

        # Replay a dead letter and watch it delivered
        console.open("/console/dead-letters")
        rows = console.finds("#dead-letters tbody tr")
        check(len(rows) == DEAD, f"{len(rows)} dead letters listed")
        console.shot("dead-letters")
        letter_link = rows[0].find_element(By.CSS_SELECTOR, "th a")
        letter_id = letter_link.text
        event_id = rows[0].find_elements(By.CSS_SELECTOR, "td")[3].text
        console.click(letter_link)
        check("Stored payload (hashed)" in driver.page_source, "dead letter page")
        console.shot("dead-letter")
        console.open("/console/dead-letters")
        console.find(f"#dl-{letter_id}").click()
        console.click("#replay-selected")
        check("Replay 1 dead letter(s)" in driver.page_source, "confirmation")
        console.shot("dead-letters-confirm")
        console.click("#confirm")
        check("Replayed 1 dead letter(s)." in driver.page_source, "replayed")
        console.open("/console/sales?" + urllib.parse.urlencode({"event_id": event_id, "source": "backend"}))
        WebDriverWait(driver, 30, poll_frequency=0.5).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "tr[data-destination='warehouse'] td[data-state]").text == "delivered")
        check(event_id in stats()["warehouse"], "the warehouse got the replayed sale")
        console.shot("sale-journey-delivered")

        # Filter match quality and download CSV
        console.open("/console/match-quality")
        Select(console.find("#destination")).select_by_value("meta")
        console.click("form[aria-label='Filters'] button")
        series = console.finds("section.series")
        check(series and all(s.get_attribute("data-destination") == "meta" for s in series), "filtered to meta")
        console.shot("match-quality")
        console.find("#download-csv").click()
        csv = console.downloads / "match-quality.csv"
        wait_for(csv.exists, "the CSV download", 15)
        check(csv.read_text().splitlines()[0].startswith(("destination", "period", "series")) or "," in csv.read_text().splitlines()[0], "CSV header")
        check("warehouse" not in csv.read_text(), "the CSV keeps the filter")

        # Reconciliation and audit
        console.open("/console/reconciliation")
        console.shot("reconciliation")
        console.open("/console/audit")
        console.click("#verify")
        check("Chain intact" in console.find("#audit-status").text, console.find("#audit-status").text)
        console.shot("audit")

        # A wrong CSRF token is refused, in the browser
        console.open("/console/audit")
        driver.execute_script("document.querySelector(\"form[action='/console/audit/verify'] input[name=csrf]\").value = 'forged'")
        console.click("#verify")
        check("CSRF token is missing or wrong" in driver.page_source, "wrong CSRF accepted")
        # And without the cookie, outside the browser
        status, _ = http(BASE + "/console/dead-letters/replay", method="POST", data=b"all=1&confirmed=yes",
                         headers={"content-type": "application/x-www-form-urlencoded"})
        check(status == 401, f"no cookie: {status}")
        status, _ = http(BASE + "/console/dead-letters/replay", method="POST", data=b"all=1&confirmed=yes&csrf=forged",
                         headers={"content-type": "application/x-www-form-urlencoded", "cookie": "capi_console=" + cookie["value"]})
        check(status == 403, f"wrong CSRF: {status}")

        # Sign out
        console.open("/console/overview")
        console.click("form[action='/console/sign-out'] button")
        check(driver.current_url.endswith("/console/sign-in"), "after sign-out")
        console.open("/console/overview")
        check(driver.current_url.endswith("/console/sign-in"), "signed out, still in")

        # No request left loopback, no CSP violation, no personal data in any page
        severe = console.drain_logs()
        outside = [url for url in console.requests if not url.startswith(("http://127.0.0.1:", "data:", "about:", "chrome:"))]
        check(not outside, f"requests left loopback: {outside}")
        check(not [entry for entry in severe if "Content Security Policy" in entry.get("message", "")], f"CSP violations: {severe}")
        personal = [email(i) for i in range(SALES)] + [phone(i) for i in range(SALES)] + FIRST_NAMES + [ip(i) for i in range(SALES)]
        for name, source in console.pages.items():
            lowered = source.lower()
            found = [value for value in personal if value.lower() in lowered]
            check(not found, f"{name} holds personal data: {found[:3]}")
        print(f"console browser test passed: {len(console.pages)} pages, {len(console.requests)} requests, screenshots in {ARTIFACTS}")
    except Exception:
        console.shot("failure")
        raise
    finally:
        driver.quit()


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"console browser test FAILED: {error}", file=sys.stderr)
        sys.exit(1)
