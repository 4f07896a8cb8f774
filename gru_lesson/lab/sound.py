"""Lab tool for chapter 15 (the capstone): a piano roll rendered to sound, a few lines of NumPy, and a WAV file.

A roll is what `chorales.piano_roll` makes and the GRU predicts: a float32 array (T, 88) of 0s and
1s, roll[t, k] = 1 if MIDI note m_k = 21 + k sounds at step t. It becomes a mono waveform w(n),
n = 0 .. T·S − 1, with S = round(seconds_per_step · rate) samples per step, by additive synthesis:

    f_k    = 440 · 2^((m_k − 69)/12)                       equal temperament, A4 = MIDI 69 = 440 Hz
    s_k(n) = Σ_j a_j sin(2π j f_k n / rate) / Σ_j a_j       partials j = 1, 2, 3 with a = (1, 1/2, 1/4)
    e(n)   = min(1, (n − n₀)/A, (n₁ − 1 − n)/R)             on a note's samples n₀ ≤ n < n₁, else 0
    w(n)   = Σ_k e_k(n) s_k(n) / P,     P = max(1, max_t Σ_k roll[t, k])

The timbre: a fundamental and two soft harmonics at constant loudness while the key is held, like
an organ's flue pipe (a chorale is sung or played on the organ). A partial at or above the Nyquist
frequency rate/2 cannot be represented and would alias to a wrong pitch, so it is left out; a key
whose fundamental is at or above rate/2 raises a ValueError (at 8 kHz: only C8, MIDI 108, 4186 Hz).

Notes. A note is a run of consecutive steps in which the key is 1: [n₀, n₁) = [t₀·S, t₁·S). A roll
cannot tell a held note from a repeated one (the chorales store a half note as two quarter-note steps
with the same key), so a key held over consecutive steps sounds as ONE note: no new attack, and the
sine runs on without a jump, since its phase 2π j f_k n / rate counts samples from the start of the
roll. A key that stops and starts again (1, 0, 1) is two notes: the second one starts from silence.

Envelope. A linear attack of A samples (10 ms, at most S/4) and a linear release of R samples (40 ms,
at most S/4) inside the note, from 0 and back to 0, so that no step boundary clicks.

Loudness. |s_k(n)| ≤ 1 and 0 ≤ e_k(n) ≤ 1, and at most P keys sound at any sample (a note's release
ends inside its own last step), so |w(n)| ≤ 1: the wave never clips. Dividing by the roll's largest
chord P (not by each step's own) keeps a solo voice quieter than the four-part chord around it.
A rest is silence.

The WAV (`wav_bytes`): 16-bit PCM, mono, sample v(n) = round(32767 · w(n)). 8000 samples per second
is telephone quality, enough for notes up to B7 (3951 Hz), and keeps a page light: 16 kB per second,
480 kB for 30 s (a third more in the page, where the file is base64 text).

    wave = synthesize(roll, seconds_per_step=0.5, rate=8000)     # (T·4000,) float32 in [−1, 1]
    IPython.display.Audio(data=wav_bytes(wave, 8000))            # a player, in Jupyter and on the site

Bad input (a list, a roll not (T, 88), values other than 0 and 1, NaN, a step of no time, a rate
that is not a positive whole number) gets a TypeError or ValueError naming what was expected.
"""

from __future__ import annotations

import io
import math
import wave as wave_module

import numpy as np

from .._validation import as_float_array, as_real_array, check_finite, positive_int

__all__ = ["ATTACK_SECONDS", "HARMONICS", "RELEASE_SECONDS", "frequency", "synthesize", "wav_bytes"]

KEYS = 88                              # columns of a roll: MIDI notes 21 .. 108
LOWEST_NOTE = 21                       # MIDI number of column 0 (A0)
HARMONICS = (1.0, 0.5, 0.25)           # a_j: the amplitudes of partials j = 1, 2, 3 (fundamental first)
ATTACK_SECONDS = 0.010                 # A = 10 ms (at most a quarter of a step)
RELEASE_SECONDS = 0.040                # R = 40 ms (at most a quarter of a step)
MIN_SAMPLES_PER_STEP = 4               # S: room for an attack and a release of at least one sample each


def frequency(note: float | np.ndarray) -> float | np.ndarray:
    """The frequency in Hz of MIDI note(s) `note` in equal temperament, A4 = MIDI 69 = 440 Hz.

    note: a number or an array of numbers (MIDI note numbers; 21 .. 108 are the piano's keys).
    Returns a float for a number, else a float64 array of note's shape.

    >>> frequency(69), round(frequency(60), 2), frequency(np.array([57, 81])).tolist()
    (440.0, 261.63, [220.0, 880.0])
    """
    notes = as_real_array(note, "note")                              # any shape
    check_finite(notes, "note")
    # f = 440 · 2^((note − 69)/12): an octave (12 semitones) doubles it
    f = 440.0 * 2.0 ** ((notes - 69) / 12)                           # note's shape, float64
    return float(f) if f.ndim == 0 else f


def synthesize(roll: np.ndarray, *, seconds_per_step: float = 0.5, rate: int = 8000) -> np.ndarray:
    """A piano roll (T, 88) as a mono float32 waveform of T·S samples in [−1, 1], S = round(seconds_per_step · rate).

    roll: float32 or float64 NumPy array (T, 88) of 0s and 1s, T ≥ 1; roll[t, k] = 1: MIDI note 21 + k sounds.
    seconds_per_step: how long one step lasts (0.5 s: a quarter note at 120 beats per minute), > 0.
    rate: samples per second, a positive whole number; every sounding key's fundamental must be below rate/2.
    The equations are in the module docstring; each stands above the line that computes it below.

    >>> roll = np.zeros((3, 88), np.float32); roll[:2, 48] = 1         # A4 held for two steps, then a rest
    >>> wave = synthesize(roll, seconds_per_step=0.25, rate=8000)
    >>> wave.shape, wave.dtype, bool(np.abs(wave).max() <= 1), bool(np.all(wave[4000:] == 0))
    ((6000,), dtype('float32'), True, True)
    """
    roll = _check_roll(roll)
    seconds_per_step = _positive_seconds(seconds_per_step)
    rate = positive_int("rate (samples per second)", rate)
    # S = round(seconds_per_step · rate)
    S = round(seconds_per_step * rate)
    if S < MIN_SAMPLES_PER_STEP:
        raise ValueError(f"expected seconds_per_step · rate >= {MIN_SAMPLES_PER_STEP} samples per step, got "
                         f"{seconds_per_step} s · {rate} Hz = {seconds_per_step * rate:g} samples")
    T = len(roll)
    on = roll == 1                                                   # (T, 88) bool
    keys = np.flatnonzero(on.any(axis=0))                            # the columns that sound at some step
    f = frequency(LOWEST_NOTE + keys)                                # (K,) Hz, one per sounding key
    too_high = f >= rate / 2
    if too_high.any():
        k = int(keys[too_high][0])
        raise ValueError(f"expected every sounding key below the Nyquist frequency rate/2 = {rate / 2:g} Hz, got "
                         f"column {k} (MIDI {LOWEST_NOTE + k}, {f[too_high][0]:.1f} Hz) at step "
                         f"{int(np.flatnonzero(on[:, k])[0])}: use rate >= {math.floor(2 * f[too_high].max()) + 1}")
    A = max(1, min(round(ATTACK_SECONDS * rate), S // 4))            # attack, samples
    R = max(1, min(round(RELEASE_SECONDS * rate), S // 4))           # release, samples
    amplitudes = np.array(HARMONICS)                                 # (J,) a_j

    wave = np.zeros(T * S)                                           # (T·S,) float64 while summing
    for k, f_k in zip(keys, f):
        partials = np.arange(1, len(HARMONICS) + 1)                  # (J,) j
        kept = partials * f_k < rate / 2                             # (J,) the partials below rate/2
        column = np.concatenate(([False], on[:, k], [False]))        # (T + 2,) off before and after the roll
        starts = np.flatnonzero(column[1:] & ~column[:-1])           # steps t₀ where a note begins
        stops = np.flatnonzero(column[:-1] & ~column[1:])            # steps t₁ where it has ended
        for t0, t1 in zip(starts, stops):
            n0, n1 = t0 * S, t1 * S                                  # the note's samples [n₀, n₁)
            n = np.arange(n0, n1)                                    # (n₁ − n₀,) counted from the roll's start
            # s_k(n) = Σ_j a_j sin(2π j f_k n / rate) / Σ_j a_j      (partials below rate/2 only)
            phase = 2 * np.pi * f_k * n / rate                       # (n₁ − n₀,)
            tone = np.sin(np.outer(phase, partials[kept])) @ amplitudes[kept] / amplitudes.sum()   # (n₁ − n₀,)
            # e(n) = min(1, (n − n₀)/A, (n₁ − 1 − n)/R)
            envelope = np.minimum(1.0, np.minimum((n - n0) / A, (n1 - 1 - n) / R))                # (n₁ − n₀,)
            wave[n0:n1] += envelope * tone
    # w(n) = Σ_k e_k(n) s_k(n) / P,  P = max(1, max_t Σ_k roll[t, k])
    P = max(1, int(on.sum(axis=1).max()))
    return (wave / P).astype(np.float32)                             # (T·S,)


def wav_bytes(wave: np.ndarray, rate: int) -> bytes:
    """The bytes of a 16-bit PCM mono WAV file of `wave`: samples v(n) = round(32767 · w(n)).

    wave: float32 or float64 NumPy array (n,), n ≥ 1, finite, every sample in [−1, 1] (nothing is clipped).
    rate: samples per second, a positive whole number (the rate the wave was synthesized at).

    For a player, in Jupyter and on the built site: `IPython.display.Audio(data=wav_bytes(wave, rate))`
    (these exact samples). `Audio(data=wave, rate=rate)` plays too, but rescales the wave to its own peak
    unless normalize=False. Either way the notebook stores the file in the cell's HTML as base64
    (a third larger than the file), which is what lets a static page play it without a kernel.

    >>> data = wav_bytes(np.array([0.0, 0.5, -1.0], np.float32), 8000)
    >>> data[:4], data[8:12], len(data)                  # a 44-byte header, then 2 bytes per sample
    (b'RIFF', b'WAVE', 50)
    """
    wave = as_float_array(wave, "wave")
    if wave.ndim != 1 or wave.size == 0:
        raise ValueError(f"expected wave of shape (n,) with n >= 1 samples (mono), got {wave.shape}")
    check_finite(wave, "wave")
    peak = float(np.abs(wave).max())
    if peak > 1:
        raise ValueError(f"expected every sample of wave in [-1, 1] (16-bit PCM would clip), got a peak of {peak:.4g}")
    rate = positive_int("rate (samples per second)", rate)
    # v(n) = round(32767 · w(n)), little-endian 16-bit integers
    samples = np.round(32767 * wave.astype(np.float64)).astype("<i2")   # (n,)
    buffer = io.BytesIO()
    with wave_module.open(buffer, "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.tobytes())
    return buffer.getvalue()


def _check_roll(roll: object) -> np.ndarray:
    """roll: a float32 or float64 NumPy array (T, 88), T ≥ 1, of 0s and 1s only."""
    if isinstance(roll, np.ndarray) and roll.dtype.kind in "biu":
        raise TypeError(f"expected roll as a NumPy array of float32 or float64, got {roll.dtype} "
                        "(convert it with roll.astype(np.float32))")
    roll = as_float_array(roll, "roll")
    if roll.ndim != 2 or roll.shape[1] != KEYS or roll.shape[0] == 0:
        raise ValueError(f"expected roll of shape (T, {KEYS}) with T >= 1 (one row per step, one column per "
                         f"key), got {roll.shape}")
    check_finite(roll, "roll")
    other = (roll != 0) & (roll != 1)
    if other.any():
        t, k = (int(i) for i in np.argwhere(other)[0])
        raise ValueError(f"expected roll of 0s and 1s (a key sounds or not), got {float(roll[t, k])!r} at step {t}, "
                         f"column {k}: threshold probabilities first, e.g. (p > 0.5).astype(np.float32)")
    return roll


def _positive_seconds(value: object) -> float:
    """seconds_per_step: a finite number > 0 (not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"expected seconds_per_step as a number of seconds, got {type(value).__name__} {value!r:.40}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"expected seconds_per_step to be a finite number of seconds > 0, got {value!r}")
    return float(value)
