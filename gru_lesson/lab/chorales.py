"""Lab tool for chapter 15 (the capstone): the JSB chorales, downloaded once, checked and cached.

The data. 382 four-part chorales by J. S. Bach at quarter-note resolution, with the split of
Boulanger-Lewandowski et al. (2012) that Chung et al. (2014) used: 229 / 76 / 77 chorales
(train / valid / test). The file is JSON, as published in czhuang/JSB-Chorales-dataset on GitHub:

    {"train": [chorale, ...], "valid": [...], "test": [...]}
    chorale = [step, ...]          one step per quarter note, 25 to 160 steps
    step    = [60, 72, 79, 88]     the MIDI note numbers sounding at that step ([] is a rest)

Where the file comes from (`fetch_chorales`), first match wins:
  1. a local copy: the argument `path=`, else the environment variable GRU_LESSON_CHORALES;
  2. the cache: `cache_dir/jsb-chorales-quarter.json`, where cache_dir is the argument, else the
     environment variable GRU_LESSON_DATA, else ~/.cache/gru_lesson;
  3. a download from URL (urllib, with a timeout) into that cache.
Every file, whichever way it came, must have the SHA-256 `SHA256`; a download that does not is
deleted and raises `ChecksumError` (a ValueError). No copy and no network: `ChoralesUnavailable`
(an OSError and a RuntimeError) says what to download, from where, and where to put it.

The piano roll. Chorale i of T_i steps becomes a float32 array roll_i of shape (T_i, 88), one column
per key of an 88-key piano, lowest first:

    roll_i[t, k] = 1  if MIDI note 21 + k sounds at step t, else 0     (k = 0..87)

so k = note − 21: A0 (MIDI 21) is column 0, middle C (MIDI 60) column 39, C8 (MIDI 108) column 87.
A rest is a row of zeros. The chorales use notes 43 to 96 only; the 88 columns keep the standard size.

Shapes: T steps, N chorales in a batch, 88 keys. `pad_rolls` lays a list of rolls out time-major,
(T_max, N, 88) with `lengths` (N,), as `gru_lesson.GRU` takes them (`gru(x, lengths=lengths)`);
`next_step_pairs` gives the inputs x_t = roll[t] and targets y_t = roll[t + 1] of next-step prediction.

    rolls = load_chorales()                           # {"train": [(T_i, 88), ...], "valid": ..., "test": ...}
    x, y, lengths = next_step_pairs(rolls["train"])   # (T_max − 1, 229, 88) twice, (229,)
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

__all__ = ["COUNTS", "ChecksumError", "ChoralesUnavailable", "KEYS", "LOWEST_NOTE", "SHA256", "SPLITS", "STEPS",
           "URL", "cache_folder", "fetch_chorales", "load_chorales", "next_step_pairs", "pad_rolls", "parse_chorales",
           "piano_roll", "sha256_of"]

URL = "https://raw.githubusercontent.com/czhuang/JSB-Chorales-dataset/master/jsb-chorales-quarter.json"
FILENAME = "jsb-chorales-quarter.json"
SHA256 = "2db9329f1881a1d3f49703ec556bf1d6f84b4f6c1d702c156536e93cf31e1c91"
COPY_VARIABLE = "GRU_LESSON_CHORALES"                # a local copy of the file
CACHE_VARIABLE = "GRU_LESSON_DATA"                   # the cache folder
SPLITS = ("train", "valid", "test")
COUNTS = {"train": 229, "valid": 76, "test": 77}    # chorales per split
STEPS = {"train": 13807, "valid": 4602, "test": 4725}  # sum of T_i over the split's chorales (pairs: T_i − 1 each)
LOWEST_NOTE = 21                                     # MIDI number of A0, the piano's lowest key: column 0
KEYS = 88                                            # columns 0..87 are MIDI notes 21..108


class ChoralesUnavailable(OSError, RuntimeError):
    """The chorales could not be read or downloaded: the message says what to fetch and where to put it."""


class ChecksumError(ValueError):
    """A file's SHA-256 is not the one expected: a wrong, truncated or altered copy."""


def sha256_of(path: str | os.PathLike) -> str:
    """The SHA-256 of the file at `path`, as 64 lowercase hexadecimal digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_folder(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache folder: `cache_dir` if given, else $GRU_LESSON_DATA if set, else ~/.cache/gru_lesson.

    >>> str(cache_folder("/tmp/somewhere"))
    '/tmp/somewhere'
    """
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE]).expanduser()
    return Path.home() / ".cache" / "gru_lesson"


def _how_to_get_it(url: str, target: Path) -> str:
    """The instructions an offline learner needs: what to download, from where, where to put it."""
    return (f"download {FILENAME} from {url} on a machine with internet and put it at {target}, "
            f"or set the environment variable {COPY_VARIABLE} to the path of a copy (or pass path=...)")


def _check_digest(path: Path, sha256: str, what: str) -> None:
    """Raise ChecksumError naming both digests unless the file at `path` has SHA-256 `sha256`."""
    received = sha256_of(path)
    if received != sha256.lower():
        raise ChecksumError(f"{what} {path} has the wrong SHA-256: expected {sha256.lower()}, received {received}")


def fetch_chorales(*, path: str | os.PathLike | None = None, url: str | None = None, sha256: str = SHA256,
                   cache_dir: str | os.PathLike | None = None, timeout: float = 30.0) -> Path:
    """The path of a checked copy of the chorales' JSON: a local copy, the cache, or a fresh download.

    path:      a local copy to use (checksummed, never copied); default: $GRU_LESSON_CHORALES if set.
    url:       where to download from when there is no copy and no cached file; default `URL`.
    sha256:    the digest every file must have; default `SHA256`, that of the published file.
    cache_dir: the cache folder; default `cache_folder()` ($GRU_LESSON_DATA, else ~/.cache/gru_lesson).
    timeout:   seconds urllib waits for the server before giving up.

    Raises ChecksumError (a ValueError) for a file with another digest, and ChoralesUnavailable
    (an OSError) when a local copy is missing or the download fails; a bad download is not kept.
    """
    url = URL if url is None else url
    if path is None and os.environ.get(COPY_VARIABLE):
        path, origin = os.environ[COPY_VARIABLE], f"the local copy named by ${COPY_VARIABLE}"
    else:
        origin = "the local copy passed as path="
    if path is not None:                                             # 1. a local copy
        copy = Path(path).expanduser()
        if not copy.is_file():
            raise ChoralesUnavailable(f"{origin} does not exist: {copy}. Download {FILENAME} from {url} and "
                                      f"put it there, or point {COPY_VARIABLE} (or path=) at an existing copy")
        _check_digest(copy, sha256, origin)
        return copy

    folder = cache_folder(cache_dir)
    target = folder / FILENAME
    if target.is_file():                                             # 2. the cache
        if sha256_of(target) == sha256.lower():
            return target
        target.unlink()                                              # a stale or damaged cached file: fetch again

    try:                                                             # 3. a download, into a temporary file first
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ChoralesUnavailable(f"cannot create the cache folder {folder} ({error}). Set {CACHE_VARIABLE} "
                                  f"to a writable folder, or {COPY_VARIABLE} to the path of a copy") from error
    handle, partial = tempfile.mkstemp(prefix=FILENAME + ".", suffix=".part", dir=folder)
    partial = Path(partial)
    digest = hashlib.sha256()
    try:
        try:
            with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
                for block in iter(lambda: response.read(1 << 16), b""):
                    digest.update(block)
                    out.write(block)
        except urllib.error.HTTPError as error:
            error.close()
            raise ChoralesUnavailable(f"could not download the JSB chorales: {url} answered HTTP {error.code} "
                                      f"{error.reason}. To go on, " + _how_to_get_it(url, target)) from error
        except (urllib.error.URLError, OSError, ValueError) as error:   # offline, refused, timed out, bad URL
            reason = getattr(error, "reason", error)
            raise ChoralesUnavailable(f"could not download the JSB chorales from {url} ({reason}). "
                                      "To go on offline, " + _how_to_get_it(url, target)) from error
        if digest.hexdigest() != sha256.lower():
            raise ChecksumError(f"the file downloaded from {url} has the wrong SHA-256: expected {sha256.lower()}, "
                                f"received {digest.hexdigest()}. It was deleted, not cached; try again, or "
                                + _how_to_get_it(url, target))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)                              # nothing partial or bad stays in the cache
    return target


def piano_roll(chorale: Sequence[Sequence[int]]) -> np.ndarray:
    """One chorale (a list of T steps, each a list of MIDI notes 21..108) as a float32 roll (T, 88).

    roll[t, note − 21] = 1 for each note sounding at step t; a rest ([]) is a row of zeros.

    >>> roll = piano_roll([[60, 64, 67], [], [108]])   # C major chord (middle C = column 39), rest, C8
    >>> roll.shape, roll.dtype, np.flatnonzero(roll[0]).tolist(), roll[1].sum(), np.flatnonzero(roll[2]).tolist()
    ((3, 88), dtype('float32'), [39, 43, 46], np.float32(0.0), [87])
    """
    if isinstance(chorale, (str, bytes)) or not isinstance(chorale, Sequence) or len(chorale) == 0:
        raise ValueError(f"expected a chorale as a non-empty list of steps (lists of MIDI notes), got {chorale!r:.60}")
    roll = np.zeros((len(chorale), KEYS), dtype=np.float32)          # (T, 88)
    for t, step in enumerate(chorale):
        if isinstance(step, (str, bytes)) or not isinstance(step, Sequence):
            raise ValueError(f"expected step {t} as a list of MIDI note numbers, got {step!r:.60}")
        for note in step:
            if isinstance(note, bool) or not isinstance(note, (int, np.integer)) \
                    or not LOWEST_NOTE <= note < LOWEST_NOTE + KEYS:
                raise ValueError(f"expected MIDI notes as whole numbers from {LOWEST_NOTE} to "
                                 f"{LOWEST_NOTE + KEYS - 1} (the 88 piano keys), got {note!r} at step {t}")
            # roll[t, k] = 1 where k = note − 21
            roll[t, note - LOWEST_NOTE] = 1.0
    return roll


def parse_chorales(data: Mapping[str, object]) -> dict[str, list[np.ndarray]]:
    """The file's content ({"train": [...], "valid": [...], "test": [...]}) as piano rolls per split.

    >>> rolls = parse_chorales({"train": [[[60], [62]]], "valid": [[[64]]], "test": [[[65], [], [67]]]})
    >>> {split: [roll.shape for roll in rolls[split]] for split in SPLITS}
    {'train': [(2, 88)], 'valid': [(1, 88)], 'test': [(3, 88)]}
    """
    if not isinstance(data, Mapping) or any(split not in data for split in SPLITS):
        got = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"expected the chorales as a mapping with keys {list(SPLITS)}, got {got}")
    rolls = {}
    for split in SPLITS:
        chorales = data[split]
        if not isinstance(chorales, list):
            raise ValueError(f"expected {split!r} as a list of chorales, got {type(chorales).__name__}")
        rolls[split] = []
        for i, chorale in enumerate(chorales):
            try:
                rolls[split].append(piano_roll(chorale))                 # (T_i, 88)
            except ValueError as error:
                raise ValueError(f"{split} chorale {i}: {error}") from None
    return rolls


def load_chorales(*, path: str | os.PathLike | None = None, url: str | None = None, sha256: str = SHA256,
                  cache_dir: str | os.PathLike | None = None, timeout: float = 30.0) -> dict[str, list[np.ndarray]]:
    """The chorales as piano rolls: {"train": 229 arrays (T_i, 88), "valid": 76, "test": 77}, float32.

    The file comes from `fetch_chorales` (same arguments): a local copy, the cache or one download.
    """
    file = fetch_chorales(path=path, url=url, sha256=sha256, cache_dir=cache_dir, timeout=timeout)
    with open(file, encoding="utf-8") as source:
        return parse_chorales(json.load(source))


def _check_rolls(rolls: Sequence[np.ndarray], shortest: int) -> None:
    """Raise a TypeError or ValueError unless rolls is a non-empty list of float arrays (T_i, 88), T_i >= shortest."""
    if isinstance(rolls, np.ndarray) or not isinstance(rolls, Sequence) or len(rolls) == 0:
        raise ValueError(f"expected a non-empty list of piano rolls (T_i, {KEYS}), got {type(rolls).__name__}")
    for i, roll in enumerate(rolls):
        if not isinstance(roll, np.ndarray) or roll.dtype.char not in "fd":
            raise TypeError(f"expected roll {i} as a float32 or float64 NumPy array, got "
                            f"{getattr(roll, 'dtype', type(roll).__name__)}")
        if roll.ndim != 2 or roll.shape[1] != KEYS or roll.shape[0] < shortest:
            raise ValueError(f"expected roll {i} of shape (T_i, {KEYS}) with T_i >= {shortest}, got {roll.shape}")


def pad_rolls(rolls: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """N rolls (T_i, 88) as one zero-padded time-major batch x (T_max, N, 88) and lengths (N,) = T_i.

    x[t, n] = rolls[n][t] for t < lengths[n], and 0 after: the input `gru_lesson.GRU` takes with
    `lengths=lengths`. The dtype is that of the first roll (float32 from `piano_roll`).

    >>> x, lengths = pad_rolls([np.ones((2, 88), np.float32), np.ones((3, 88), np.float32)])
    >>> x.shape, lengths.tolist(), x[:, 0, 0].tolist()
    ((3, 2, 88), [2, 3], [1.0, 1.0, 0.0])
    """
    _check_rolls(rolls, shortest=1)
    lengths = np.array([len(roll) for roll in rolls], dtype=np.int64)         # (N,)
    x = np.zeros((int(lengths.max()), len(rolls), KEYS), dtype=rolls[0].dtype)  # (T_max, N, 88)
    for n, roll in enumerate(rolls):
        x[: len(roll), n] = roll                                               # (T_n, 88), padding stays 0
    return x, lengths


def next_step_pairs(rolls: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs and targets of next-step prediction: x = roll[:-1], y = roll[1:], padded, with lengths T_i − 1.

    x_t = roll[t] is what the network reads at step t, y_t = roll[t + 1] the chord it must predict.
    Returns x (T_max − 1, N, 88), y (T_max − 1, N, 88) and lengths (N,) = T_i − 1; each roll needs
    T_i >= 2. Summed over the training split, lengths give 13,807 − 229 = 13,578 predicted steps.

    >>> x, y, lengths = next_step_pairs([np.eye(88, dtype=np.float32)[:3], np.eye(88, dtype=np.float32)[:2]])
    >>> x.shape, y.shape, lengths.tolist(), x[:, 0].argmax(-1).tolist(), y[:, 0].argmax(-1).tolist()
    ((2, 2, 88), (2, 2, 88), [2, 1], [0, 1], [1, 2])
    """
    _check_rolls(rolls, shortest=2)
    x, lengths = pad_rolls([roll[:-1] for roll in rolls])        # (T_max − 1, N, 88), (N,)
    y, _ = pad_rolls([roll[1:] for roll in rolls])               # (T_max − 1, N, 88)
    return x, y, lengths
