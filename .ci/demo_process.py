"""The demo server as the tests start it (on a free port, in a folder of its own, with
the accounts and the device token it prints), and the browser they drive it with."""
import os
import re
import socket
import subprocess
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(binary, database=None):
    """The demo server, its port, its accounts {login: password} and its device token;
    on a new SQLite file unless `database` names one (a path or a postgres:// URL)."""
    binary = os.path.abspath(binary)
    workdir = tempfile.mkdtemp(prefix="couloir-browser-")
    port = free_port()
    process = subprocess.Popen(
        [binary, "demo", "--port", str(port), "--database", database or os.path.join(workdir, "demo.sqlite")],
        cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    accounts = {}
    token = None
    deadline = time.time() + 120
    for line in process.stdout:
        match = re.match(r"\s+(\S+@\S+)\s+(\S+)\s+(\S+)\s", line)
        if match:
            accounts[match.group(1)] = match.group(3)
        match = re.match(r"Send it as: Authorization: Bearer (\S+)", line)
        if match:
            token = match.group(1)
        if "Couloir is serving" in line or time.time() > deadline:
            break
    # The server logs every request: keep reading, or its writes block once the pipe fills.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process, port, accounts, token


def chromium():
    """Debian's headless Chromium through its driver, in British English, page loads
    given 30 seconds."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600",
                     "--disable-gpu", "--lang=en-GB"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver
