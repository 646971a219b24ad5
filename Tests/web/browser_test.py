#!/usr/bin/env python3
"""Real-browser tests of the web channel (`supportbot serve --web`): the embeddable widget on the
demo page, the agent inbox and the analytics page, in headless Chromium driven by Selenium.

Run by scripts/tests/web-browser.sh, which starts a server with an agent and an admin token.
Standalone:

    SUPPORTBOT_AGENT_TOKEN=sb_… SUPPORTBOT_ADMIN_TOKEN=sb_… \
        python3 Tests/web/browser_test.py --base-url https://127.0.0.1:8443

Scenarios (each ends with a screenshot per browser in the artifacts folder and a check that the
browser logged nothing at level SEVERE):
  1. customer: the widget answers a FAQ question with a cited source; thumbs up is thanked;
  2. reload: after a reload the same conversation and its messages are shown again;
  3. handoff: "Talk to a person" puts the conversation in the agent inbox (a second browser);
     the agent joins, sees the bot's routing, answers; the customer sees the person's message and
     answers live; the agent ends it; the customer sees the closed notice and a next message
     starts a new conversation;
  4. admin: the analytics render with the daily chart and non-zero counts for the admin token;
     the agent token gets the not-an-admin error;
  5. keyboard: Tab reaches the launcher, Enter opens the panel with focus in the input, Escape
     closes it and focus returns to the launcher.
"""

import argparse
import base64
import os
import re
import sys
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

TIMEOUT = 30
FAQ_QUESTION = "do you ship to canada"
FAQ_SOURCE_TITLE = "Do you ship to Canada?"
HANDOFF_TEXT = "I want to talk to a person"
AGENT_GREETING = "Hi, I'm Maria"
CUSTOMER_ANSWER = "Thanks! My order 1234 is late."
CLOSED_NOTICE = "This conversation has been closed by our team."


class Failure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def tid(name):
    return (By.CSS_SELECTOR, '[data-testid="%s"]' % name)


class Browser:
    """One WebDriver session: its own profile, so its own localStorage and sessionStorage."""

    def __init__(self, name, args):
        self.name = name
        self.args = args
        options = Options()
        options.binary_location = args.chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
            options.add_argument(argument)
        options.set_capability("acceptInsecureCerts", True)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=args.chromedriver), options=options)
        self.driver.set_page_load_timeout(TIMEOUT)

    def open(self, path):
        self.driver.get(self.args.base_url + path)

    def wait(self, condition, message, timeout=TIMEOUT):
        def probe(driver):
            try:
                return condition(driver)
            except (StaleElementReferenceException,):
                return False

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(probe)
        except TimeoutException:
            raise Failure("%s: timed out after %d s waiting for %s" % (self.name, timeout, message)) from None

    def find(self, name):
        return self.driver.find_element(*tid(name))

    def find_all(self, name, root=None):
        return (root or self.driver).find_elements(*tid(name))

    def visible(self, name, timeout=TIMEOUT):
        def probe(driver):
            elements = [e for e in driver.find_elements(*tid(name)) if e.is_displayed()]
            return elements[0] if elements else False

        return self.wait(probe, "[data-testid=%s] to be visible" % name, timeout)

    def script(self, source, *arguments):
        return self.driver.execute_script(source, *arguments)

    def screenshot(self, label, full_page=False):
        os.makedirs(self.args.artifacts, exist_ok=True)
        path = os.path.join(self.args.artifacts, "%s-%s.png" % (label, self.name))
        if full_page:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
        else:
            self.driver.save_screenshot(path)
        return path

    def severe_logs(self, allowed=()):
        """Browser log entries at level SEVERE that no `allowed` predicate accepts (reading the
        log empties it, so each scenario sees its own entries)."""
        entries = self.driver.get_log("browser")
        for entry in entries:
            if entry.get("level") in ("SEVERE", "WARNING"):
                print("    [%s console %s] %s" % (self.name, entry.get("level"), entry.get("message")))
        return [e for e in entries if e.get("level") == "SEVERE" and not any(rule(e) for rule in allowed)]

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


# ------------------------------------------------------------------------------------------ widget


def widget_messages(browser, role=None):
    log = browser.find("supportbot-messages")
    messages = browser.find_all("supportbot-message", log)
    if role:
        messages = [m for m in messages if m.get_attribute("data-role") == role]
    return messages


def message_text(element):
    body = element.find_elements(By.CSS_SELECTOR, ".sb-body")
    return (body[0] if body else element).text.strip()


def open_widget(browser):
    launcher = browser.visible("supportbot-launcher")
    check(launcher.tag_name == "button", "the launcher is not a <button>")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
    browser.wait(lambda d: browser.find("supportbot-launcher").get_attribute("aria-expanded") == "true",
                 "aria-expanded=true on the launcher")
    panel_id = launcher.get_attribute("aria-controls")
    check(panel_id, "the launcher has no aria-controls")
    panel = browser.driver.find_element(By.ID, panel_id)
    browser.wait(lambda d: panel.is_displayed(), "the chat panel to open")
    check(panel.get_attribute("role") == "dialog", "the panel is not role=dialog")
    check(panel.get_attribute("aria-label") or panel.get_attribute("aria-labelledby"), "the panel has no label")
    log = browser.find("supportbot-messages")
    check(log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite",
          "the message list is not role=log aria-live=polite")
    check(browser.find("supportbot-status").get_attribute("role") == "status", "the status line is not role=status")
    return panel


def wait_online(browser):
    browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, ".sb-root").get_attribute("data-connection") == "online",
                 "the widget to connect")


def send_widget_message(browser, text):
    field = browser.visible("supportbot-input")
    label = browser.driver.find_elements(By.CSS_SELECTOR, 'label[for="%s"]' % field.get_attribute("id"))
    check(label, "the chat input has no <label>")
    field.clear()
    field.send_keys(text)
    field.send_keys(Keys.ENTER)


def wait_bot_reply_after(browser, count_before, description, predicate=lambda m: True):
    """The first bot message after the first `count_before` messages that satisfies predicate."""

    def probe(driver):
        messages = widget_messages(browser)
        for message in messages[count_before:]:
            if message.get_attribute("data-role") == "bot" and "sb-streaming" not in (message.get_attribute("class") or ""):
                if predicate(message):
                    return message
        return False

    return browser.wait(probe, description)


def local_storage(browser, suffix):
    return browser.script(
        "const key = Object.keys(localStorage).find(k => k.startsWith('supportbot:') && k.endsWith(arguments[0]));"
        "return key ? localStorage.getItem(key) : null;", ":" + suffix)


def scenario_customer(ctx):
    customer = ctx.customer
    customer.open("/")
    check("Ridgeline" in customer.driver.title, "unexpected demo page title %r" % customer.driver.title)
    open_widget(customer)
    focused = customer.script("return document.activeElement && document.activeElement.dataset.testid")
    check(focused == "supportbot-input", "opening the panel did not focus the input (focus on %r)" % focused)
    send_widget_message(customer, FAQ_QUESTION)

    customer.wait(lambda d: any(message_text(m) == FAQ_QUESTION for m in widget_messages(customer, "user")),
                  "the customer's question in the message list")
    answer = wait_bot_reply_after(customer, 0, "a bot answer with a cited source",
                                  lambda m: len(customer.find_all("supportbot-source", m)) > 0)
    sources = customer.find_all("supportbot-source", answer)
    titles = [s.text.strip() for s in sources]
    check(FAQ_SOURCE_TITLE in titles, "the answer does not cite %r (sources: %r)" % (FAQ_SOURCE_TITLE, titles))
    for source in sources:
        if source.tag_name == "a":
            href = source.get_attribute("href") or ""
            check(re.match(r"^https?://", href), "a source link is not http(s): %r" % href)
            check(source.get_attribute("target") == "_blank", "a source link does not open a new tab")
            rel = (source.get_attribute("rel") or "").split()
            check("noopener" in rel and "noreferrer" in rel, "a source link lacks rel=noopener noreferrer")
    check("canad" in message_text(answer).lower(), "the answer does not talk about Canada: %r" % message_text(answer))
    ctx.answer_text = message_text(answer)

    # Identity: token and conversation in localStorage, nothing in cookies or the URL.
    token = local_storage(customer, "token")
    check(token and token.startswith("sb_"), "no visitor token in localStorage (found %r)" % token)
    check(token not in customer.driver.current_url, "the token is in the URL")
    check(not customer.driver.get_cookies(), "the widget set cookies: %r" % customer.driver.get_cookies())
    ctx.conversation = local_storage(customer, "conversation")
    check(ctx.conversation and re.match(r"^[0-9a-f]{32}$", ctx.conversation),
          "no conversation id in localStorage (found %r)" % ctx.conversation)

    # Feedback.
    up = customer.find_all("supportbot-feedback-up", answer)
    down = customer.find_all("supportbot-feedback-down", answer)
    check(up and down, "the answer has no thumbs up/down buttons")
    check(up[0].get_attribute("aria-label") == "This answer helped", "thumbs up is not labelled")
    check(down[0].get_attribute("aria-label") == "This answer did not help", "thumbs down is not labelled")
    check(up[0].get_attribute("aria-pressed") == "false", "thumbs up starts pressed")
    up[0].click()
    customer.wait(lambda d: up[0].get_attribute("aria-pressed") == "true", "thumbs up to be pressed")
    customer.wait(lambda d: "Thanks for your feedback" in answer.text, "the thanks for the feedback")
    check(down[0].get_attribute("aria-pressed") == "false", "thumbs down is pressed too")
    return [customer]


def scenario_reload(ctx):
    customer = ctx.customer
    before = [(m.get_attribute("data-role"), message_text(m)) for m in widget_messages(customer)]
    check(len(before) >= 2, "fewer than 2 messages before the reload: %r" % before)
    customer.driver.refresh()
    open_widget(customer)

    def restored(driver):
        now = [(m.get_attribute("data-role"), message_text(m)) for m in widget_messages(customer)]
        return now if now[: len(before)] == before else False

    now = customer.wait(restored, "the %d earlier messages to be shown again after the reload" % len(before))
    check(len(now) == len(before), "messages were rendered twice or added after the reload: %r" % now)
    check(local_storage(customer, "conversation") == ctx.conversation, "the reload changed the stored conversation")
    answer = [m for m in widget_messages(customer, "bot")][0]
    check(customer.find_all("supportbot-source", answer), "the restored answer lost its sources")
    up = customer.find_all("supportbot-feedback-up", answer)
    check(up and up[0].get_attribute("aria-pressed") == "true", "the restored answer forgot the thumbs up")
    wait_online(customer)
    return [customer]


def sign_in_agent(agent, token):
    agent.open("/agent")
    field = agent.visible("agent-token")
    check(field.get_attribute("type") == "password", "the agent token field is not a password field")
    check(agent.driver.find_elements(By.CSS_SELECTOR, 'label[for="%s"]' % field.get_attribute("id")),
          "the agent token field has no label")
    field.send_keys(token)
    agent.find("agent-sign-in").click()
    agent.wait(lambda d: "Signed in as maria" in agent.find("agent-who").text, "'Signed in as maria'")
    stored = agent.script("return Object.values(sessionStorage)")
    check(token in stored, "the agent token is not kept in sessionStorage")
    check(agent.script("return Object.values(localStorage).length") == 0, "the agent page wrote to localStorage")


def agent_messages(agent, role=None):
    messages = agent.find_all("agent-message", agent.find("agent-transcript"))
    if role:
        messages = [m for m in messages if m.get_attribute("data-role") == role]
    return messages


def scenario_handoff(ctx):
    customer = ctx.customer
    count = len(widget_messages(customer))
    customer.visible("supportbot-handoff").click()
    customer.wait(lambda d: any(message_text(m) == HANDOFF_TEXT for m in widget_messages(customer, "user")[-1:]),
                  "the handoff request in the message list")
    handoff = wait_bot_reply_after(customer, count, "the bot's handoff reply")
    check(not customer.find_all("supportbot-feedback-up", handoff), "a handoff reply offers feedback buttons")

    ctx.agent = agent = Browser("agent", ctx.args)
    sign_in_agent(agent, ctx.args.agent_token)
    queue = agent.find("agent-queue")
    check(queue.tag_name in ("ul", "ol"), "the queue is not a list")
    selector = '[data-testid="agent-queue-item"][data-conversation="%s"]' % ctx.conversation
    item = agent.wait(lambda d: (d.find_elements(By.CSS_SELECTOR, selector) or [False])[0],
                      "the customer's conversation in the queue", timeout=15)
    check(item.tag_name == "button", "a queue item is not a <button>")
    check("waiting" in item.text, "the queue item does not say how long it has waited: %r" % item.text)
    agent.driver.find_element(By.CSS_SELECTOR, selector).click()

    transcript = agent.visible("agent-transcript")
    check(transcript.get_attribute("role") == "log" and transcript.get_attribute("aria-live") == "polite",
          "the transcript is not role=log aria-live=polite")
    agent.wait(lambda d: any(FAQ_QUESTION in m.text for m in agent_messages(agent, "user")),
               "the customer's question in the transcript")
    agent.wait(lambda d: any(HANDOFF_TEXT in m.text for m in agent_messages(agent, "user")),
               "the handoff request in the transcript")
    bots = agent_messages(agent, "bot")
    faq = [m for m in bots if m.get_attribute("data-route") == "faq"]
    check(faq, "no bot message with route faq in the transcript: %r" % [m.text for m in bots])
    check("route faq" in faq[0].text and "intent international_shipping" in faq[0].text,
          "the bot message does not show its route and intent: %r" % faq[0].text)
    check(FAQ_SOURCE_TITLE in faq[0].text, "the bot message does not show its source title")

    reply = agent.visible("agent-reply")
    check(agent.driver.find_elements(By.CSS_SELECTOR, 'label[for="%s"]' % reply.get_attribute("id")),
          "the agent reply box has no label")
    reply.send_keys(AGENT_GREETING)
    agent.find("agent-send").click()
    agent.wait(lambda d: any(AGENT_GREETING in m.text for m in agent_messages(agent, "agent")),
               "the agent's message in the transcript")

    greeting = customer.wait(
        lambda d: next((m for m in widget_messages(customer, "agent") if AGENT_GREETING in m.text), False),
        "the agent's message in the customer's widget")
    check("maria (support team)" in greeting.text, "the agent message is not labelled with the agent's name: %r"
          % greeting.text)

    count = len(widget_messages(customer))
    send_widget_message(customer, CUSTOMER_ANSWER)
    agent.wait(lambda d: any(CUSTOMER_ANSWER in m.text for m in agent_messages(agent, "user")),
               "the customer's answer to appear live in the transcript")
    wait_bot_reply_after(customer, count, "the hold reply to the customer's message during handoff")

    agent.find("agent-end").click()
    ended = agent.visible("agent-ended")
    check("Conversation ended" in ended.text, "the agent page does not say the conversation ended")
    check(not agent.find("agent-reply").is_enabled() and not agent.find("agent-send").is_enabled(),
          "the reply box is still enabled after the end")
    customer.wait(lambda d: any(CLOSED_NOTICE in m.text for m in widget_messages(customer, "system")),
                  "the closed notice in the customer's widget")
    # A long conversation scrolls: no message is squeezed into its neighbour.
    overlaps = customer.script(
        "const items = [...document.querySelectorAll('[data-testid=supportbot-message]')]"
        ".map(e => e.getBoundingClientRect());"
        "return items.slice(1).filter((r, i) => r.top < items[i].bottom - 1).length;")
    check(overlaps == 0, "%d widget messages overlap the one before them" % overlaps)
    check(customer.script("return document.querySelector('[data-testid=supportbot-handoff]')"
                          ".getBoundingClientRect().top >= document.querySelector("
                          "'[data-testid=supportbot-input]').getBoundingClientRect().bottom"),
          "'Talk to a person' overlaps the input")
    print("    screenshot %s" % customer.screenshot("3-handoff-closed"))
    print("    screenshot %s" % agent.screenshot("3-handoff-ended", full_page=True))

    # The next message starts a new conversation.
    count = len(widget_messages(customer))
    send_widget_message(customer, FAQ_QUESTION)
    wait_bot_reply_after(customer, count, "an answer in the new conversation")
    new = local_storage(customer, "conversation")
    check(new and new != ctx.conversation, "no new conversation after the end (still %r)" % new)
    return [customer, agent]


def network_refusal(status):
    def rule(entry):
        message = entry.get("message", "")
        return entry.get("source") == "network" and "/api/report" in message and ("status of %d" % status) in message
    return rule


def scenario_admin(ctx):
    ctx.admin = admin = Browser("admin", ctx.args)
    admin.open("/admin")
    field = admin.visible("admin-token")
    check(field.get_attribute("type") == "password", "the admin token field is not a password field")
    check(Select(admin.find("admin-period")).first_selected_option.get_attribute("value") == "30",
          "the default period is not 30 days")
    field.send_keys(ctx.args.admin_token)
    admin.find("admin-sign-in").click()
    report = admin.visible("admin-report")
    chart = admin.wait(lambda d: (report.find_elements(*tid("admin-chart-daily")) or [False])[0],
                       "the daily chart")
    check(chart.tag_name == "svg", "the daily chart is not an SVG")
    check(chart.get_attribute("role") == "img" and chart.get_attribute("aria-label"),
          "the daily chart has no role=img and aria-label")
    check(chart.find_elements(By.CSS_SELECTOR, "title"), "the daily chart has no <title>")
    check(chart.find_elements(By.CSS_SELECTOR, "rect"), "the daily chart draws no bars")
    check(report.find_elements(*tid("admin-daily-table")), "no data table behind the daily chart")
    check(report.find_elements(*tid("admin-chart-routes")), "no route share chart")
    check(report.find_elements(*tid("admin-clusters")), "no unanswered-question clusters section")
    conversations = int(admin.find("admin-conversations").text.split()[0])
    replies = int(admin.find("admin-bot-replies").text.split()[0])
    check(conversations > 0 and replies > 0, "the report counts %d conversations, %d replies" % (conversations, replies))
    check("1 up" in admin.find("admin-feedback").text, "the thumbs up is not counted: %r"
          % admin.find("admin-feedback").text)
    check(ctx.args.admin_token in admin.script("return Object.values(sessionStorage)"),
          "the admin token is not kept in sessionStorage")
    print("    screenshot %s" % admin.screenshot("4-admin-report", full_page=True))

    Select(admin.find("admin-period")).select_by_value("7")
    admin.wait(lambda d: "last 7 days" in admin.find("admin-window").text, "the 7-day report")
    admin.find("admin-sign-out").click()

    admin.visible("admin-token").send_keys(ctx.args.agent_token)
    admin.find("admin-sign-in").click()
    admin.wait(lambda d: "admin token" in admin.find("admin-error").text, "the not-an-admin error")
    check(not admin.find("admin-report").is_displayed(), "a report is shown for an agent token")
    check(ctx.args.agent_token not in admin.script("return Object.values(sessionStorage)"),
          "the refused token was kept in sessionStorage")
    ctx.allowed["admin"] = [network_refusal(403)]
    return [admin]


def scenario_keyboard(ctx):
    customer = ctx.customer
    customer.open("/")
    launcher = customer.visible("supportbot-launcher")
    customer.script("document.activeElement && document.activeElement.blur(); window.focus();")
    body = customer.driver.find_element(By.TAG_NAME, "body")
    reached = False
    for _ in range(40):
        ActionChains(customer.driver).send_keys(Keys.TAB).perform()
        if customer.script("return document.activeElement && document.activeElement.dataset.testid") == \
                "supportbot-launcher":
            reached = True
            break
    check(reached, "Tab never reached the launcher")
    check(body is not None, "no body")
    ActionChains(customer.driver).send_keys(Keys.ENTER).perform()
    customer.wait(lambda d: launcher.get_attribute("aria-expanded") == "true", "Enter to open the panel")
    panel = customer.driver.find_element(By.ID, launcher.get_attribute("aria-controls"))
    customer.wait(lambda d: panel.is_displayed(), "the panel to show")
    customer.wait(lambda d: customer.script("return document.activeElement.dataset.testid") == "supportbot-input",
                  "focus in the chat input")
    outline = customer.script(
        "const b = document.querySelector('[data-testid=supportbot-send]'); b.focus();"
        "return getComputedStyle(b).outlineStyle;")
    customer.find("supportbot-input").click()
    ActionChains(customer.driver).send_keys(Keys.ESCAPE).perform()
    customer.wait(lambda d: not panel.is_displayed(), "Escape to close the panel")
    check(launcher.get_attribute("aria-expanded") == "false", "aria-expanded stays true after Escape")
    customer.wait(lambda d: customer.script("return document.activeElement.dataset.testid") == "supportbot-launcher",
                  "focus back on the launcher")
    check(outline not in ("none", ""), "the focused send button has no visible outline (%r)" % outline)
    return [customer]


# ------------------------------------------------------------------------------------------ main


class Context:
    def __init__(self, args):
        self.args = args
        self.customer = None
        self.agent = None
        self.admin = None
        self.conversation = None
        self.answer_text = None
        self.allowed = {}

    def browsers(self):
        return [b for b in (self.customer, self.agent, self.admin) if b]


SCENARIOS = [
    ("1-customer", scenario_customer),
    ("2-reload", scenario_reload),
    ("3-handoff", scenario_handoff),
    ("4-admin", scenario_admin),
    ("5-keyboard", scenario_keyboard),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True, help="e.g. https://127.0.0.1:8443")
    parser.add_argument("--agent-token", default=os.environ.get("SUPPORTBOT_AGENT_TOKEN"))
    parser.add_argument("--admin-token", default=os.environ.get("SUPPORTBOT_ADMIN_TOKEN"))
    parser.add_argument("--artifacts", default=os.path.join(".build", "web-test-artifacts"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    if not args.agent_token or not args.admin_token:
        parser.error("an agent and an admin token are needed (SUPPORTBOT_AGENT_TOKEN, SUPPORTBOT_ADMIN_TOKEN)")
    args.base_url = args.base_url.rstrip("/")
    os.makedirs(args.artifacts, exist_ok=True)

    ctx = Context(args)
    failed = None
    try:
        ctx.customer = Browser("customer", args)
        for label, scenario in SCENARIOS:
            started = time.monotonic()
            print("== scenario %s" % label, flush=True)
            try:
                involved = scenario(ctx)
            except Exception as error:  # noqa: BLE001 - report any failure with artifacts
                failed = label
                print("FAIL: %s: %s" % (label, error), file=sys.stderr)
                if not isinstance(error, Failure):
                    traceback.print_exc()
                for browser in ctx.browsers():
                    path = browser.screenshot("%s-FAILED" % label)
                    print("    screenshot %s" % path)
                    with open(os.path.join(args.artifacts, "%s-FAILED-%s.html" % (label, browser.name)), "w") as page:
                        page.write(browser.driver.page_source)
                    browser.severe_logs()
                break
            problems = []
            for browser in involved:
                print("    screenshot %s" % browser.screenshot(label))
                severe = browser.severe_logs(ctx.allowed.get(browser.name, ()))
                if severe:
                    problems.append("%s logged SEVERE entries: %s" % (browser.name, [e.get("message") for e in severe]))
            if problems:
                failed = label
                print("FAIL: %s: %s" % (label, "; ".join(problems)), file=sys.stderr)
                break
            print("ok: %s (%.1f s)" % (label, time.monotonic() - started), flush=True)
    finally:
        for browser in ctx.browsers():
            browser.quit()
    print("artifacts: %s" % os.path.abspath(args.artifacts))
    if failed:
        return 1
    print("ok: all %d browser scenarios passed" % len(SCENARIOS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
