"""Which language a translation is written in, offline, with py3langid.

py3langid (a maintained port of langid.py) ships its model in its wheel (4.5 MB)
and classifies a sentence in about 0.2 ms.  On this project's translated
segments it was as accurate as lingua-language-detector (every es/de/fr/ar
sentence of five words or more right for both; lingua's models take 96 MB and
1.5 s to load), so it is the one used.  Below five words neither is reliable
("Quellen" reads as French), and no verdict is given.

Loading the model still costs a process about 0.2 s and 100 MB, which a rebuild after
one edit would pay for the disclaimers of the one page it rebuilds; so verdicts are
also kept in the user's cache folder (SQLite, keyed by the model's version, the
candidate languages and the text: a verdict there is never stale), and the model is
loaded only for a text never judged before.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import shutil
import sqlite3
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

MIN_WORDS = 5
CONFIDENT = 0.9
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The whole model, loaded once per process and only when a verdict is asked for.

    py3langid ships it LZMA-compressed, and decompressing takes half a second per process;
    the decompressed arrays are kept in the user's cache folder (one file per py3langid
    version, written atomically), which loads in a tenth of that.  Anything unexpected
    there falls back to py3langid's own loader."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return _from_cache(LanguageIdentifier)
    except (OSError, KeyError, ValueError):
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _from_cache(identifier_class: type) -> LanguageIdentifier:
    import lzma
    from array import array
    from importlib.metadata import version

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    folder = _cache_folder()
    path = os.path.join(folder, f"py3langid-{version('py3langid')}-model.npz")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with lzma.open(MODEL_DIR / MODEL_FILE) as source, open(temporary, "wb") as target:
            shutil.copyfileobj(source, target, length=1 << 20)
        os.replace(temporary, path)
    with np.load(path, allow_pickle=False) as data:
        def unsigned(values: np.ndarray) -> array:
            found = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
            found.frombytes(memoryview(np.ascontiguousarray(values)).cast("B"))
            return found
        return identifier_class(data["ptc"], data["pc"], data["classes"].tolist(),
                                unsigned(data["nextmove"]), data["out_feat"].tolist(),
                                norm_probs=True, tk_row=unsigned(data["nextmove_row"]))


def _cache_folder() -> str:
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                        "health-pipeline")


def _verdicts() -> sqlite3.Connection | None:
    """This process's connection to the verdict store (a worker forked from a process
    that had one opens its own: SQLite connections must not cross a fork)."""
    return _connection(os.getpid())


@lru_cache(maxsize=1)
def _connection(_pid: int) -> sqlite3.Connection | None:
    """A connection to the verdict store, or None if it cannot be used (a read-only
    home, a damaged file): verdicts are then computed, as without it."""
    from importlib.metadata import version

    try:
        os.makedirs(_cache_folder(), exist_ok=True)
        path = os.path.join(_cache_folder(), f"py3langid-{version('py3langid')}-verdicts.sqlite")
        connection = sqlite3.connect(path, timeout=10, isolation_level=None)
        connection.execute("PRAGMA synchronous=OFF")  # a cache: a power cut may lose the last verdicts
        connection.execute("CREATE TABLE IF NOT EXISTS verdict "
                           "(key BLOB PRIMARY KEY, language TEXT, probability REAL)")
        return connection
    except (OSError, sqlite3.Error):
        return None


def _remembered(key: bytes) -> tuple[str, float] | None:
    store = _verdicts()
    try:
        row = store.execute("SELECT language, probability FROM verdict WHERE key = ?",
                            (key,)).fetchone() if store else None
    except sqlite3.Error:
        return None
    return (row[0], row[1]) if row else None


def _remember(key: bytes, verdict: tuple[str, float]) -> None:
    store = _verdicts()
    try:
        if store:
            store.execute("INSERT OR REPLACE INTO verdict VALUES (?, ?, ?)", (key, *verdict))
    except sqlite3.Error:
        pass


@lru_cache(maxsize=8)
def _identifier_for(languages: tuple[str, ...]) -> LanguageIdentifier:
    """An identifier that chooses among ``languages`` only (a run has one such set)."""
    identifier = copy.copy(_identifier())  # set_languages slices the model's arrays anew
    identifier.set_languages(list(languages))
    return identifier


@lru_cache(maxsize=None)
def supported(code: str) -> bool:
    return base(code) in _LANGUAGES


def identify(text: str, candidates: tuple[str, ...]) -> tuple[str, float] | None:
    """The most likely of ``candidates`` (locale codes) for ``text`` and its probability,
    or None when the text is too short to tell or no candidate is supported."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    bases = tuple(sorted({base(code) for code in candidates if supported(code)}))
    if len(bases) < 2:
        return None
    key = hashlib.blake2b(f"{' '.join(bases)}\0{text}".encode("utf-8", "surrogatepass"),
                          digest_size=16).digest()
    known = _remembered(key)
    if known is not None:
        return known
    language, probability = _identifier_for(bases).classify(text)
    _remember(key, (language, float(probability)))
    return language, float(probability)


def base(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


# The 140 languages of py3langid 0.4's model (its ``nb_classes``), so that asking whether
# a language is supported does not load the model (tests/checks/test_gate.py checks the list).
_LANGUAGES = frozenset(
    "ace af am an ar ary arz as az ba bcl be bg bn br bs ca crh cs cy da de dz el en eo "
    "es et eu ext fa fi fo fr fuv fy ga gcf gcr gd gl gom grc gu gug guw ha hbo he hi hr "
    "ht hu hy id ig is it ja jv ka kab kik kk km kn ko ku ky la lb lg lij ln lo lt ltg "
    "lv mg mk ml mn mr ms mt my ne nl nn no nso oc om or pa pcm pl ps pt qu ro ru rw sa "
    "sdh se si sk sl sn so sq sr st sv sw ta te tg th tk tl tr tt ug uk ur uz uzs vec vi "
    "vo wa wuu xh yo yue zh zu zxx".split())
