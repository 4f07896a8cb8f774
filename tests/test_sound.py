"""gru_lesson.lab.sound: a piano roll rendered to sound (chapter 15), and the WAV bytes a page plays.

What the module docstring promises, checked: equal temperament; a held key's spectrum peaks at its
frequency, with the two soft harmonics at 1/2 and 1/4; a key held over consecutive steps is one
note (the same samples as one long step, no dip at the boundary), while a key that stops and starts
again is attacked again from silence; the length T·S; no clipping even for all 88 keys at once; a
rest is silence; the WAV parses back with the stdlib `wave` module, sample for sample; bad input
gets a TypeError or ValueError that names what was expected. The real chorales' test reads the shared
copy beside the repository and is skipped, with the reason, on a clone without it.
"""

from __future__ import annotations

import base64
import io
import wave

import numpy as np
import pytest

from gru_lesson.lab.sound import ATTACK_SECONDS, HARMONICS, frequency, synthesize, wav_bytes
from shared_data import SHARED_COPY, needs_real_data


A4, MIDDLE_C = 69 - 21, 60 - 21           # their columns in a roll (column k = MIDI note 21 + k)


def roll_of(steps: list[list[int]]) -> np.ndarray:
    """A float32 roll (T, 88) from a list of steps, each a list of columns that sound."""
    roll = np.zeros((len(steps), 88), np.float32)
    for t, columns in enumerate(steps):
        roll[t, columns] = 1
    return roll


# ---- frequencies -----------------------------------------------------------------------------------


def test_frequency_of_a4_middle_c_and_the_piano_ends():
    assert frequency(69) == 440.0
    assert frequency(60) == pytest.approx(261.6256, abs=1e-4)           # middle C
    assert frequency(21) == pytest.approx(27.5) and frequency(108) == pytest.approx(4186.009, abs=1e-3)
    np.testing.assert_allclose(frequency(np.array([57, 69, 81])), [220.0, 440.0, 880.0])   # octaves double
    assert isinstance(frequency(np.int64(69)), float)


# ---- the waveform ----------------------------------------------------------------------------------


@pytest.mark.parametrize("column", [A4, MIDDLE_C])
def test_a_held_key_peaks_at_its_frequency_with_soft_harmonics(column):
    rate, seconds = 8000, 4.0
    wave_ = synthesize(roll_of([[column]] * 8), seconds_per_step=seconds / 8, rate=rate)
    spectrum = np.abs(np.fft.rfft(wave_ * np.hanning(len(wave_))))      # (n/2 + 1,)
    bins = np.fft.rfftfreq(len(wave_), 1 / rate)                        # Hz, 0.25 Hz apart
    f = frequency(21 + column)
    assert abs(bins[spectrum.argmax()] - f) <= 0.25
    assert spectrum[bins > 3.5 * f].max() < 1e-3 * spectrum.max()       # nothing above the third partial
    # each partial's amplitude, measured at its exact frequency j·f (a one-bin DFT) inside the note
    n = np.arange(1000, len(wave_) - 1000)                              # away from the attack and release
    amplitude = lambda hz: 2 * abs(np.mean(wave_[n] * np.exp(-2j * np.pi * hz * n / rate)))   # noqa: E731
    for j, a_j in enumerate(HARMONICS, start=1):                        # 1, 1/2, 1/4 of Σ a_j
        assert amplitude(j * f) == pytest.approx(a_j / sum(HARMONICS), rel=1e-3)


def test_a_key_held_over_steps_is_one_note_without_a_dip():
    held = synthesize(roll_of([[A4], [A4]]), seconds_per_step=0.25, rate=8000)   # two steps of 2000 samples
    long = synthesize(roll_of([[A4]]), seconds_per_step=0.5, rate=8000)          # one step of 4000
    np.testing.assert_array_equal(held, long)
    # around the boundary (sample 2000) the wave is the bare tone s(n): envelope 1, phase continuous
    n = np.arange(1900, 2100)
    phase = 2 * np.pi * 440.0 * n / 8000
    tone = sum(a * np.sin(j * phase) for j, a in enumerate(HARMONICS, start=1)) / sum(HARMONICS)
    np.testing.assert_allclose(held[1900:2100], tone, atol=1e-6)


def test_a_key_that_stops_and_starts_again_is_attacked_again():
    S, rate = 2000, 8000
    wave_ = synthesize(roll_of([[A4], [], [A4]]), seconds_per_step=S / rate, rate=rate)
    assert np.all(wave_[S:2 * S] == 0)                                  # the rest between: silence
    attack = round(ATTACK_SECONDS * rate)                               # 80 samples
    second = wave_[2 * S:]
    assert second[0] == 0
    ramp = np.arange(attack) / attack                                   # e(n) = (n − n₀)/A
    assert np.all(np.abs(second[:attack]) <= ramp + 1e-6)               # it rises from silence
    np.testing.assert_array_equal(np.abs(second[:S]) > 0, np.abs(wave_[:S]) > 0)   # the same shape of note
    assert wave_[S - 1] == 0 and wave_[-1] == 0                         # each note released to 0


@pytest.mark.parametrize("T, seconds, rate, S", [(1, 0.5, 8000, 4000), (7, 0.25, 16000, 4000),
                                                 (3, 1 / 3, 8000, 2667), (2, 0.001, 4000, 4)])
def test_the_length_is_T_steps_of_S_samples(T, seconds, rate, S):
    wave_ = synthesize(roll_of([[A4, 30]] * T), seconds_per_step=seconds, rate=rate)
    assert wave_.shape == (T * S,) and wave_.dtype == np.float32


def test_the_wave_never_clips_even_for_all_88_keys():
    everything = synthesize(np.ones((3, 88), np.float32), seconds_per_step=0.25, rate=16000)   # C8 needs > 8372 Hz
    assert 0.05 < np.abs(everything).max() <= 1
    below_c8 = synthesize(np.ones((2, 88), np.float32) * (np.arange(88) < 87), rate=8000)
    assert np.abs(below_c8).max() <= 1
    rng = np.random.default_rng(0)
    chords = (rng.random((20, 88)) < 0.3).astype(np.float32)
    chords[:, 87] = 0
    assert np.abs(synthesize(chords, seconds_per_step=0.1)).max() <= 1


def test_a_rest_is_silence():
    assert not synthesize(np.zeros((4, 88)), seconds_per_step=0.1).any()
    wave_ = synthesize(roll_of([[A4, MIDDLE_C], [], [A4]]), seconds_per_step=0.1, rate=8000)
    assert not wave_[800:1600].any() and wave_[:800].any() and wave_[1600:].any()


def test_a_lone_voice_is_quieter_than_the_largest_chord():
    wave_ = synthesize(roll_of([[A4], [A4 - 12, A4 - 5, A4, A4 + 4]]), seconds_per_step=0.5, rate=8000)
    assert np.abs(wave_[:4000]).max() <= 0.25 + 1e-6                    # one key out of P = 4


# ---- the WAV file ----------------------------------------------------------------------------------


def test_the_wav_parses_back_sample_for_sample():
    wave_ = synthesize(roll_of([[A4, MIDDLE_C], [MIDDLE_C], []]), seconds_per_step=0.25, rate=8000)
    data = wav_bytes(wave_, 8000)
    with wave.open(io.BytesIO(data), "rb") as file:
        assert (file.getframerate(), file.getsampwidth(), file.getnchannels(), file.getnframes()) == (8000, 2, 1, 6000)
        samples = np.frombuffer(file.readframes(file.getnframes()), "<i2")
    np.testing.assert_array_equal(samples, np.round(32767 * wave_.astype(np.float64)))
    assert len(data) == 44 + 2 * len(wave_)
    edges = wav_bytes(np.array([-1.0, 1.0, 0.0]), 8000)[44:]
    assert np.frombuffer(edges, "<i2").tolist() == [-32767, 32767, 0]


def test_ipython_audio_embeds_the_wav():
    display = pytest.importorskip("IPython.display")
    data = wav_bytes(synthesize(roll_of([[A4]]), seconds_per_step=0.1), 8000)
    html = display.Audio(data=data)._repr_html_()
    assert f'src="data:audio/wav;base64,{base64.b64encode(data).decode()}"' in html


# ---- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("roll, error, message", [
    ([[0] * 88], TypeError, "expected roll as a NumPy array of float32 or float64, got list"),
    (np.ones((2, 88), bool), TypeError, r"got bool \(convert it with roll.astype\(np.float32\)\)"),
    (np.ones((2, 88), np.int64), TypeError, "got int64"),
    (np.ones((2, 87), np.float32), ValueError, r"expected roll of shape \(T, 88\) with T >= 1 .*got \(2, 87\)"),
    (np.ones((2, 3, 88), np.float32), ValueError, r"got \(2, 3, 88\)"),
    (np.ones(88, np.float32), ValueError, r"got \(88,\)"),
    (np.zeros((0, 88), np.float32), ValueError, r"got \(0, 88\)"),
    (np.full((2, 88), 0.5, np.float32), ValueError, "expected roll of 0s and 1s .* got 0.5 at step 0, column 0"),
    (np.where(np.arange(88) == 5, np.nan, 0)[None].astype(np.float32), ValueError,
     r"expected roll to hold only finite numbers, got 1 NaN .* at index \(0, 5\)"),
])
def test_bad_rolls(roll, error, message):
    with pytest.raises(error, match=message):
        synthesize(roll)


@pytest.mark.parametrize("options, error, message", [
    ({"seconds_per_step": 0}, ValueError, "expected seconds_per_step to be a finite number of seconds > 0, got 0"),
    ({"seconds_per_step": -0.5}, ValueError, "got -0.5"),
    ({"seconds_per_step": float("nan")}, ValueError, "got nan"),
    ({"seconds_per_step": "0.5"}, TypeError, "expected seconds_per_step as a number of seconds, got str"),
    ({"seconds_per_step": True}, TypeError, "got bool"),
    ({"rate": 0}, ValueError, r"expected rate \(samples per second\) to be a positive integer, got 0"),
    ({"rate": 8000.0}, ValueError, "got 8000.0"),
    ({"rate": "8000"}, ValueError, "got '8000'"),
    ({"seconds_per_step": 1e-4}, ValueError, r"expected seconds_per_step · rate >= 4 samples per step, got .*0.8 samples"),
])
def test_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        synthesize(roll_of([[A4]]), **options)


def test_a_key_above_the_nyquist_frequency_names_the_rate_it_needs():
    with pytest.raises(ValueError, match=r"below the Nyquist frequency rate/2 = 4000 Hz, got column 87 \(MIDI 108, "
                                         r"4186.0 Hz\) at step 1: use rate >= 8373"):
        synthesize(roll_of([[A4], [87]]))
    assert synthesize(roll_of([[A4], [87]]), rate=8373).any()


@pytest.mark.parametrize("samples, rate, error, message", [
    ([0.0, 0.5], 8000, TypeError, "expected wave as a NumPy array of float32 or float64, got list"),
    (np.zeros((2, 3)), 8000, ValueError, r"expected wave of shape \(n,\) with n >= 1 samples \(mono\), got \(2, 3\)"),
    (np.zeros(0), 8000, ValueError, r"got \(0,\)"),
    (np.array([0.0, np.inf]), 8000, ValueError, "expected wave to hold only finite numbers"),
    (np.array([0.0, 1.5]), 8000, ValueError, r"expected every sample of wave in \[-1, 1\] .*got a peak of 1.5"),
    (np.zeros(3), 0, ValueError, r"expected rate \(samples per second\) to be a positive integer, got 0"),
    (np.zeros(3), 44.1, ValueError, "got 44.1"),
])
def test_bad_wav_input(samples, rate, error, message):
    with pytest.raises(error, match=message):
        wav_bytes(samples, rate)


@pytest.mark.parametrize("note, error, message", [
    ("A4", TypeError, "expected note as a number or a NumPy array of numbers, got str"),
    (float("nan"), ValueError, "expected note to hold only finite numbers"),
])
def test_bad_notes(note, error, message):
    with pytest.raises(error, match=message):
        frequency(note)


# ---- the real chorales -----------------------------------------------------------------------------


@needs_real_data
def test_a_real_chorale_sounds_and_its_wav_is_light():
    from gru_lesson.lab.chorales import load_chorales

    rolls = load_chorales(path=SHARED_COPY)
    roll = next(r for r in rolls["train"] if len(r) >= 60)[:60]          # 60 quarter notes at 0.5 s: 30 s
    wave_ = synthesize(roll, seconds_per_step=0.5, rate=8000)
    assert wave_.shape == (240_000,) and 0.1 < np.abs(wave_).max() <= 1
    sounding = roll.any(axis=1)                                         # steps with a chord, not a rest
    steps = np.abs(wave_.reshape(60, 4000)).max(axis=1)                 # the loudest sample of each step
    assert np.all(steps[sounding] > 0) and not steps[~sounding].any()
    data = wav_bytes(wave_, 8000)
    assert len(data) == 44 + 2 * 240_000 < 1_000_000                    # 480 kB
    assert len(base64.b64encode(data)) < 1_000_000                      # 640 kB as it sits in the page
