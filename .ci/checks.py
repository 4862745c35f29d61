"""How the test harnesses tell each check and end: `ok` or `FAIL` and what was
checked, a line each; then the counts, and exit status 1 if anything failed."""
import sys

counts = {"passed": 0, "failed": 0}


def check(condition, what):
    """Tells and counts one check; returns whether it held."""
    if condition:
        counts["passed"] += 1
        print(f"ok   {what}")
    else:
        counts["failed"] += 1
        print(f"FAIL {what}")
    return condition


def finish(label=""):
    """Prints the counts and exits, with status 1 if a check failed."""
    print(f"{label}{counts['passed']} passed, {counts['failed']} failed")
    sys.exit(1 if counts["failed"] else 0)
