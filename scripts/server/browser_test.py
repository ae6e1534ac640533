#!/usr/bin/env python3
"""Drives the clerk's page in headless Chromium: pastes a compliant and a non-compliant sample, fills the
decision form, switches to English, reads the findings from the page and keeps screenshots."""
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

base, artifacts = sys.argv[1], pathlib.Path(sys.argv[2])
root = pathlib.Path(__file__).resolve().parents[2]
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1360,1500"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 20)
failures = []


def expect(condition, message):
    print(f"  {'ok' if condition else 'FAILED'}: {message}")
    if not condition:
        failures.append(message)


def check_text(text, fmt):
    box = driver.find_element(By.ID, "record-text")
    driver.execute_script("arguments[0].value = arguments[1];", box, text)
    Select(driver.find_element(By.ID, "record-format")).select_by_value(fmt)
    previous = driver.find_element(By.ID, "results").get_attribute("innerHTML")
    driver.find_element(By.ID, "check-button").click()
    wait.until(lambda d: d.find_element(By.ID, "results").get_attribute("innerHTML") != previous
               and d.find_elements(By.ID, "summary"))
    return driver.find_element(By.ID, "summary")


try:
    driver.get(base + "/")
    wait.until(EC.text_to_be_present_in_element((By.ID, "pack-info"), "shaoxing-2022-6"))
    expect(driver.find_element(By.TAG_NAME, "h1").text == "政策合规检查", "the page opens in Chinese")

    summary = check_text((root / "samples/decisions/ok-05-json.json").read_text(encoding="utf-8"), "json")
    expect(summary.get_attribute("data-outcome") == "pass", f"compliant sample passes: {summary.text}")
    expect(not driver.find_elements(By.CSS_SELECTOR, ".finding"), "compliant sample shows no finding")

    summary = check_text((root / "samples/decisions/bad-02-legality-review-late.yaml").read_text(encoding="utf-8"), "yaml")
    findings = driver.find_elements(By.CSS_SELECTOR, ".finding")
    rules = [f.get_attribute("data-rule") for f in findings]
    expect(summary.get_attribute("data-outcome") == "fail", f"non-compliant sample fails: {summary.text}")
    expect(rules == ["SX-09-LEGALITY-REVIEW"], f"its finding is shown: {rules}")
    if findings:
        finding = findings[0]
        clause = finding.find_element(By.CLASS_NAME, "finding-clause").text
        basis = finding.find_element(By.CLASS_NAME, "finding-basis").text
        fix = finding.find_element(By.CLASS_NAME, "finding-fix").text
        message = finding.find_element(By.CLASS_NAME, "finding-message").text
        expect("（九）" in clause, f"with its clause: {clause}")
        expect("合法性审查" in basis, f"with the document's words: {basis}")
        expect("legality_review.completed_on" in fix, f"and what to fix: {fix}")
        expect("晚于常务会议" in message, f"and the message: {message}")
        print(f"  page shows: [{finding.get_attribute('data-rule')}] {clause} | {message} | {fix}")
    driver.save_screenshot(str(artifacts / "clerk-page-findings.png"))

    # The form: fill a decision whose meeting came before its legality review, in English.
    driver.find_element(By.ID, "lang-en").click()
    expect(driver.find_element(By.TAG_NAME, "h1").text == "Policy compliance check", "the English switch works")
    wait.until(lambda d: "legality review" in d.find_element(By.CSS_SELECTOR, ".finding-message").text)
    expect("legality review" in driver.find_element(By.CSS_SELECTOR, ".finding-message").text, "the findings are checked again in English")
    driver.find_element(By.ID, "tab-form").click()
    driver.find_element(By.ID, "example-button").click()
    summary = driver.find_element(By.ID, "summary")
    previous = driver.find_element(By.ID, "results").get_attribute("innerHTML")
    driver.find_element(By.ID, "check-button").click()
    wait.until(lambda d: d.find_element(By.ID, "results").get_attribute("innerHTML") != previous)
    rules = [f.get_attribute("data-rule") for f in driver.find_elements(By.CSS_SELECTOR, ".finding")]
    expect("SX-09-LEGALITY-REVIEW" in rules, f"the decision form's example is checked: {rules}")
    driver.save_screenshot(str(artifacts / "clerk-page-form-en.png"))
finally:
    driver.quit()
print(f"browser: {len(failures)} failure(s); screenshots in {artifacts}")
sys.exit(1 if failures else 0)
