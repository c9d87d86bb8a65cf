"""Writes the small runs under tests/data/results/history/ (run it again after changing them): two releases of
one product in one run (releases/), a later run (later/), and a run whose page text is all markup (hostile/).
"""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent
HOST = "http://127.0.0.1:5000"
PERSONAS = {"keyboard-only": {"id": "keyboard-only", "name": "Ash", "title": "Keyboard-only user"},
            "screen-reader": {"id": "screen-reader", "name": "Sam", "title": "Screen reader user"}}
JOURNEYS = {"pay-an-amount": "Pay an amount"}


def target(tid, version, folder, name=None, product="quickpay"):
    return {"id": tid, "name": name or f"QuickPay release {version}", "supplier": "QuickPay Ltd", "version": version,
            "base_url": f"{{demo}}/pay/{folder}/", "journeys": {"pay-an-amount": "pay/start"}, "product": product}


def finding(tgt, folder, persona, page, rule, selector, impact, message, criteria, outcome="violation",
            blocker=False, step="Enter the amount", snippet="<input>"):
    return {"outcome": outcome, "impact": impact, "rule_id": rule, "source": "harness", "message": message,
            "help": f"Fix {rule}.", "help_url": f"https://example.org/{rule}", "criteria": criteria,
            "page_url": f"{HOST}/pay/{folder}/{page}", "selector": selector, "snippet": snippet, "target": tgt,
            "persona": persona, "journey": "pay-an-amount", "step": step, "blocker": blocker, "extra": {}}


def write(name, run_id, started, targets, walks, personas=PERSONAS, journeys=JOURNEYS):
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"kind": "run", "run_id": run_id, "started": started, "targets": {t["id"]: t for t in targets},
              "personas": personas, "journeys": journeys, "checks": {}}]
    for tgt, persona, outcome, blocker, findings in walks:
        test_id = f"scenarios/test_pay.py::test_pay[{tgt}-{persona}]"
        status = "blocked" if outcome == "blocked" else "completed"
        lines.append({"kind": "step", "test_id": test_id, "target": tgt, "persona": persona,
                      "journey": "pay-an-amount", "step": "Enter the amount", "index": 1, "status": status,
                      "duration_s": 1.0, "states": [], "findings": findings})
        lines.append({"kind": "journey", "test_id": test_id, "target": tgt, "persona": persona,
                      "journey": "pay-an-amount", "outcome": outcome, "blocker": blocker, "duration_s": 2.0})
    (folder / "results.ndjson").write_text("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))


def v1(persona, tid="pay-v1", folder="v1"):
    found = [
        finding(tid, folder, persona, "amount", "label", "#amount", "serious",
                "The field 'Amount' has only a placeholder, no label.", ["1.3.1", "4.1.2"]),
        finding(tid, folder, persona, "start", "offline-alternative", "", "minor",
                "The start page offers no other way to pay.", []),
        finding(tid, folder, persona, "amount", "region", "p.intro", "moderate",
                "Some page content is not in a landmark.", ["1.3.1"], outcome="needs-review"),
    ]
    if persona == "screen-reader":
        found.append(finding(tid, folder, persona, "card", "amount-before-payment", "", "serious",
                             "The total is not shown before the card details are asked for.", ["3.3.4"],
                             blocker=True, step="Pay by card"))
    return found


def v2(persona, tid="pay-v2", folder="v2"):
    return [
        finding(tid, folder, persona, "start", "offline-alternative", "", "moderate",
                "The start page offers no other way to pay.", []),
        finding(tid, folder, persona, "card", "session-timeout", "", "serious",
                "The card page ends the session after 15 minutes without warning.", ["2.2.1"],
                step="Pay by card"),
    ]


write("releases", "2026-11-01T09-00-00Z-1", "2026-11-01T09:00:00+00:00",
      [target("pay-v1", "1.9", "v1"), target("pay-v2", "2.0", "v2")],
      [("pay-v1", "keyboard-only", "completed", "", v1("keyboard-only")),
       ("pay-v1", "screen-reader", "blocked", "The total is not shown before the card details are asked for.",
        v1("screen-reader")),
       ("pay-v2", "keyboard-only", "completed", "", v2("keyboard-only")),
       ("pay-v2", "screen-reader", "completed", "", v2("screen-reader"))])

# A later run: release 1.10 (after 1.9 and before 2.0 in natural order) and release 2.0 again.
write("later", "2026-11-20T09-00-00Z-2", "2026-11-20T09:00:00+00:00",
      [target("pay-v2", "2.0", "v2"), target("pay-v1", "1.10", "v1")],
      [("pay-v2", "keyboard-only", "completed", "", v2("keyboard-only")[:1]),
       ("pay-v2", "screen-reader", "completed", "", v2("screen-reader")[:1]),
       ("pay-v1", "keyboard-only", "completed", "", v1("keyboard-only")[:1])])

# Page text that tries to be markup: every page-derived field carries a script.
EVIL = "<script>alert(1)</script>"
evil_personas = {"keyboard-only": {"id": "keyboard-only", "name": f"Ash{EVIL}", "title": f"Keyboard {EVIL}"}}
evil = [finding("evil-v1", "v1", "keyboard-only", f"amount{EVIL}", "label", f"#a{EVIL}", "serious",
                f"Field {EVIL} has no label.", ["1.3.1"], snippet=f"<input placeholder='{EVIL}'>", blocker=True),
        finding("evil-v1", "v1", "keyboard-only", "start", f"rule{EVIL}", "#kept", "minor",
                f"Kept {EVIL}.", [])]
evil2 = [finding("evil-v2", "v2", "keyboard-only", "card", "session-timeout", f"#b{EVIL}", "serious",
                 f"New {EVIL} problem.", ["2.2.1"], snippet=EVIL),
         finding("evil-v2", "v2", "keyboard-only", "start", f"rule{EVIL}", "#kept", "minor",
                 f"Kept {EVIL}.", [])]
write("hostile", f"run{EVIL}", f"2026-11-02{EVIL}",
      [target("evil-v1", "1.0", "v1", name=f"Evil {EVIL} 1.0", product=f"evil{EVIL}"),
       target("evil-v2", "2.0", "v2", name=f"Evil {EVIL} 2.0", product=f"evil{EVIL}")],
      [("evil-v1", "keyboard-only", "blocked", f"Stopped by {EVIL}", evil),
       ("evil-v2", "keyboard-only", "completed", "", evil2)],
      personas=evil_personas, journeys={"pay-an-amount": f"Pay {EVIL}"})
