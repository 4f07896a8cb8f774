"""gru_lesson.lab.chorales: download, checksum and cache against a loopback server; parsing the real file.

Never the internet. Download tests serve files from an http.server on 127.0.0.1 (port 0) and pass
url= to it; they use a small synthetic JSON with its own SHA-256, so they always run. Tests of the
real data read the shared copy at ../shared/data/ beside the repository (never committed); on a
clean clone without it they are skipped, with the reason. An autouse fixture points the cache at
a temporary folder and the default URL at a closed port, so no test can reach the network or ~/.cache.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from gru_lesson.lab import chorales
from gru_lesson.lab.chorales import (COUNTS, KEYS, SHA256, STEPS, ChecksumError, ChoralesUnavailable, fetch_chorales,
                                     load_chorales, next_step_pairs, pad_rolls, parse_chorales, piano_roll)
from shared_data import SHARED_COPY, needs_real_data


SMALL = {"train": [[[60, 64, 67], [], [62, 65, 69]], [[43], [96]]], "valid": [[[21, 108]]], "test": [[[72]]]}
SMALL_BYTES = json.dumps(SMALL).encode()
SMALL_SHA256 = hashlib.sha256(SMALL_BYTES).hexdigest()


@pytest.fixture(autouse=True)
def no_network(monkeypatch, tmp_path):
    """No test reaches the internet, ~/.cache or a copy set in the environment; proxies never see loopback."""
    monkeypatch.setattr(chorales, "URL", "http://127.0.0.1:9/the-tests-never-use-the-internet")
    monkeypatch.setenv("GRU_LESSON_DATA", str(tmp_path / "default-cache"))
    monkeypatch.delenv("GRU_LESSON_CHORALES", raising=False)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 (port 0): set `server.body` to serve at /chorales.json; 404 elsewhere."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            httpd.requests.append(self.path)
            if self.path != "/chorales.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(httpd.body)))
            self.end_headers()
            self.wfile.write(httpd.body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.body, httpd.requests = SMALL_BYTES, []
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/chorales.json"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


# --- download, checksum, cache ---------------------------------------------------------------------

def test_download_is_checksummed_and_cached(server, tmp_path):
    cache = tmp_path / "cache"
    file = fetch_chorales(url=server.url, sha256=SMALL_SHA256, cache_dir=cache)
    assert file == cache / "jsb-chorales-quarter.json"
    assert file.read_bytes() == SMALL_BYTES
    assert sorted(p.name for p in cache.iterdir()) == ["jsb-chorales-quarter.json"]   # no partial file left
    assert server.requests == ["/chorales.json"]


def test_second_call_reuses_the_cache(server, tmp_path):
    first = load_chorales(url=server.url, sha256=SMALL_SHA256, cache_dir=tmp_path)
    second = load_chorales(url=server.url, sha256=SMALL_SHA256, cache_dir=tmp_path)
    assert len(server.requests) == 1                      # the server saw one request
    for split in SMALL:
        assert all(np.array_equal(a, b) for a, b in zip(first[split], second[split], strict=True))


def test_cache_folder_from_the_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("GRU_LESSON_DATA", str(tmp_path / "from-env"))
    file = fetch_chorales(url=server.url, sha256=SMALL_SHA256)
    assert file == tmp_path / "from-env" / "jsb-chorales-quarter.json"
    monkeypatch.delenv("GRU_LESSON_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert chorales.cache_folder() == tmp_path / "home" / ".cache" / "gru_lesson"


def test_corrupted_download_raises_and_is_not_kept(server, tmp_path):
    server.body = SMALL_BYTES[:-5] + b"XXXXX"
    received = hashlib.sha256(server.body).hexdigest()
    with pytest.raises(ChecksumError) as caught:
        fetch_chorales(url=server.url, sha256=SMALL_SHA256, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert f"expected {SMALL_SHA256}" in message and f"received {received}" in message and server.url in message
    assert list((tmp_path / "cache").iterdir()) == []     # nothing bad (or partial) left in the cache


def test_damaged_cached_file_is_fetched_again(server, tmp_path):
    (tmp_path / "jsb-chorales-quarter.json").write_bytes(b"{}")
    file = fetch_chorales(url=server.url, sha256=SMALL_SHA256, cache_dir=tmp_path)
    assert file.read_bytes() == SMALL_BYTES and len(server.requests) == 1


def test_missing_file_404_is_a_clear_offline_error(server, tmp_path):
    url = server.url.replace("chorales.json", "missing.json")
    with pytest.raises(ChoralesUnavailable) as caught:
        fetch_chorales(url=url, sha256=SMALL_SHA256, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert isinstance(caught.value, OSError) and isinstance(caught.value, RuntimeError)
    assert "HTTP 404" in message and url in message
    assert str(tmp_path / "cache" / "jsb-chorales-quarter.json") in message and "GRU_LESSON_CHORALES" in message
    assert list((tmp_path / "cache").iterdir()) == []


def test_unreachable_server_is_a_clear_offline_error(tmp_path):
    with socket.socket() as probe:                        # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/jsb-chorales-quarter.json"
    with pytest.raises(ChoralesUnavailable) as caught:
        fetch_chorales(url=url, cache_dir=tmp_path / "cache", timeout=5)
    message = str(caught.value)
    assert message.startswith(f"could not download the JSB chorales from {url}")
    assert f"download jsb-chorales-quarter.json from {url}" in message
    assert f"put it at {tmp_path / 'cache' / 'jsb-chorales-quarter.json'}" in message
    assert "GRU_LESSON_CHORALES" in message


def test_default_url_is_the_public_source():
    assert chorales.URL.startswith("http://127.0.0.1:9/")            # the autouse fixture's guard
    import importlib.util                                             # the module's own constant, unpatched
    spec = importlib.util.find_spec("gru_lesson.lab.chorales")
    assert ('URL = "https://raw.githubusercontent.com/czhuang/JSB-Chorales-dataset/master/jsb-chorales-quarter.json"'
            in Path(spec.origin).read_text())
    assert SHA256 == "2db9329f1881a1d3f49703ec556bf1d6f84b4f6c1d702c156536e93cf31e1c91"


# --- a local copy: path= or GRU_LESSON_CHORALES ----------------------------------------------------

def test_local_copy_by_argument_and_by_environment(tmp_path, monkeypatch):
    copy = tmp_path / "copy.json"
    copy.write_bytes(SMALL_BYTES)
    assert fetch_chorales(path=copy, sha256=SMALL_SHA256) == copy
    monkeypatch.setenv("GRU_LESSON_CHORALES", str(copy))
    rolls = load_chorales(sha256=SMALL_SHA256)
    assert [r.shape for r in rolls["train"]] == [(3, KEYS), (2, KEYS)]
    assert not (tmp_path / "default-cache").exists()                  # a local copy is not copied to the cache


def test_local_copy_is_checksummed_too(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_bytes(SMALL_BYTES)
    with pytest.raises(ChecksumError, match=f"expected {SHA256}, received {SMALL_SHA256}"):
        fetch_chorales(path=copy)


def test_missing_local_copy_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("GRU_LESSON_CHORALES", str(tmp_path / "nowhere.json"))
    with pytest.raises(ChoralesUnavailable, match=r"\$GRU_LESSON_CHORALES does not exist: .*nowhere\.json"):
        fetch_chorales()


# --- parsing, batching -----------------------------------------------------------------------------

def test_key_mapping_on_one_chord():
    roll = piano_roll([[60, 64, 67, 72]])                 # C major: C4 E4 G4 C5
    assert roll.shape == (1, 88) and roll.dtype == np.float32
    assert np.flatnonzero(roll[0]).tolist() == [39, 43, 46, 51]       # column = MIDI note − 21
    assert np.flatnonzero(piano_roll([[21, 108]])[0]).tolist() == [0, 87]


@pytest.mark.parametrize("bad, words", [([[20]], "got 20 at step 0"), ([[109]], "got 109"), ([[60.0]], "got 60.0"),
                                        ([], "non-empty list of steps"), ([60], "step 0 as a list")])
def test_bad_chorales_are_named(bad, words):
    with pytest.raises(ValueError, match=words):
        piano_roll(bad)


def test_parse_names_the_missing_split():
    with pytest.raises(ValueError, match=r"keys \['train', 'valid', 'test'\], got \['test', 'train'\]"):
        parse_chorales({"train": [], "test": []})


def test_batching_pads_with_zeros_after_each_length():
    rolls = parse_chorales(SMALL)["train"]                # T = 3 and 2
    x, lengths = pad_rolls(rolls)
    assert x.shape == (3, 2, KEYS) and x.dtype == np.float32 and lengths.tolist() == [3, 2]
    for n, roll in enumerate(rolls):
        np.testing.assert_array_equal(x[: lengths[n], n], roll)
        assert not x[lengths[n]:, n].any()
    x, y, lengths = next_step_pairs(rolls)
    assert x.shape == y.shape == (2, 2, KEYS) and lengths.tolist() == [2, 1]
    np.testing.assert_array_equal(x[:2, 0], rolls[0][:-1])
    np.testing.assert_array_equal(y[:2, 0], rolls[0][1:])
    np.testing.assert_array_equal(y[:1, 1], rolls[1][1:])
    assert not x[1:, 1].any() and not y[1:, 1].any()


def test_batching_rejects_what_it_cannot_pad():
    with pytest.raises(ValueError, match=r"shape \(T_i, 88\) with T_i >= 2, got \(1, 88\)"):
        next_step_pairs([np.zeros((1, 88), np.float32)])
    with pytest.raises(TypeError, match="float32 or float64"):
        pad_rolls([np.zeros((2, 88), int)])
    with pytest.raises(ValueError, match="non-empty list"):
        pad_rolls([])


# --- the real file (the shared copy) --------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return load_chorales(path=SHARED_COPY)


@needs_real_data
def test_counts_of_the_issue(real):
    """229 / 76 / 77 chorales; 13,807 training steps is the sum of T_i over the training chorales.

    The next-step pairs of a chorale are one fewer (T_i − 1), so their lengths sum to 13,807 − 229 = 13,578.
    """
    assert {split: len(rolls) for split, rolls in real.items()} == COUNTS == {"train": 229, "valid": 76, "test": 77}
    steps = {split: sum(len(roll) for roll in rolls) for split, rolls in real.items()}
    assert steps == STEPS == {"train": 13807, "valid": 4602, "test": 4725}
    *_, lengths = next_step_pairs(real["train"])
    assert int(lengths.sum()) == 13807 - 229 == 13578
    assert min(len(r) for rolls in real.values() for r in rolls) == 25
    assert max(len(r) for rolls in real.values() for r in rolls) == 160


@needs_real_data
def test_real_rolls_shapes_and_first_chord(real):
    assert all(r.dtype == np.float32 and r.ndim == 2 and r.shape[1] == KEYS for rolls in real.values() for r in rolls)
    data = json.loads(SHARED_COPY.read_text())
    first = data["train"][0][0]
    assert np.flatnonzero(real["train"][0][0]).tolist() == sorted(note - 21 for note in first)
    x, y, lengths = next_step_pairs(real["train"])
    assert x.shape == y.shape == (128, 229, KEYS) and lengths.shape == (229,)


@needs_real_data
def test_real_file_through_the_loopback_download(server, tmp_path):
    server.body = SHARED_COPY.read_bytes()
    file = fetch_chorales(url=server.url, cache_dir=tmp_path)         # the published SHA-256
    assert chorales.sha256_of(file) == SHA256


def test_batch_goes_into_the_gru_with_lengths():
    """The padded batch is what gru_lesson.GRU takes: time-major x (T, N, 88) and lengths (N,); padding gives 0 out."""
    from gru_lesson import GRU
    x, y, lengths = next_step_pairs(parse_chorales(SMALL)["train"])   # (2, 2, 88), lengths [2, 1]
    gru = GRU(KEYS, 4, dtype=np.float32)
    output, h_n = gru(x, lengths=lengths)
    assert output.shape == (2, 2, 4) and h_n.shape == (1, 2, 4)
    assert not output[1, 1].any()                                      # after sequence 1's length: zeros, as torch pads
