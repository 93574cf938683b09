"""The house rules a reviewer would otherwise count by hand: small modules, one job each."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500


def test_no_module_over_500_lines():
    long = {str(path.relative_to(ROOT)): n for path in sorted((ROOT / "backprop").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them along their jobs): {long}"
