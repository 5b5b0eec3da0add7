"""Language identification: verdicts are remembered across runs, never stale, never required."""

from __future__ import annotations

import os
import subprocess
import sys

GERMAN = "Sprechen Sie mit Ihrer Ärztin oder Ihrem Arzt, bevor Sie ein Medikament absetzen."
JUDGE = f"""
import sys
from pipeline.checks import language
print(language.identify({GERMAN!r}, ("de", "en", "fr")), "numpy" in sys.modules)
"""


def _judge(cache: str) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    return subprocess.run([sys.executable, "-c", JUDGE], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_a_verdict_given_once_is_given_again_without_loading_the_model(tmp_path):
    """A rebuild after one edit used to load the 100 MB model for its page's disclaimers."""
    first = _judge(str(tmp_path))
    assert first.startswith("('de', ") and first.endswith(" True"), first
    again = _judge(str(tmp_path))
    assert again == first.replace(" True", " False")  # the same verdict, the model never loaded


def test_a_damaged_or_unwritable_store_only_costs_time(tmp_path):
    first = _judge(str(tmp_path))
    for store in (tmp_path / "health-pipeline").glob("*.sqlite"):
        store.write_bytes(b"this is not a database" * 100)
    assert _judge(str(tmp_path)) == first
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert _judge(str(blocked)) == first  # no cache folder can be made: judged anyway
