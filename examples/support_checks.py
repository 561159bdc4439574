"""Custom checks for support-suite.yaml: f(output, case) -> bool or (bool, detail)."""


def no_apology(output: str, case: dict) -> tuple[bool, str]:
    apologetic = any(word in output.lower() for word in ("sorry", "apologi"))
    return not apologetic, "no apology in a machine-readable answer"
