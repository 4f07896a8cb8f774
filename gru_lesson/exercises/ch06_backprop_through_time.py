"""Chapter 6, "Backpropagation through time": checkers for its exercises.

With δv = ∂L/∂v meaning the gradient of the loss with respect to v (an array of v's shape), and ∂
kept for Jacobians such as ∂h_t/∂z_t, the chapter's backward equations for one step, in the notes'
symbols, include:

    the notes' update  h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t:
        ∂h_t/∂z_t = diag(h̃_t − h_{t-1})        δh̃_t = δh_t ⊙ z_t        δh_{t-1} += δh_t ⊙ (1 − z_t)
    torch's update     h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}:
        ∂h_t/∂z_t = diag(h_{t-1} − h̃_t)        δh̃_t = δh_t ⊙ (1 − z_t)  δh_{t-1} += δh_t ⊙ z_t
    the candidate      h̃_t = tanh(a_h):       δa_h = δh̃_t ⊙ (1 − h̃_t²)      (tanh' = 1 − tanh²)
    the gates          z_t = σ(a_z):          δa_z = δz_t ⊙ z_t ⊙ (1 − z_t)  (σ' = σ (1 − σ))

Exercises and their checkers:
    1. `check_dh_dz(dh_dz)`: the diagonal of ∂h_t/∂z_t, the notes' convention, shape (H,).
    2. `check_grad_a_h(grad_a_h)`: δa_h from δh_t, z_t and h̃_t, the notes' convention, shape (N, H).
    3. `check_paths(paths)`: which of the chapter figure's four paths (direct, reset gate, update gate,
       candidate) still carry the gradient to h_{t-1} when z_t is exactly 0 or 1, in each convention.

Each `exercise*_inputs()` builds the exercise's arrays from a fixed seed, so the notebook and the
checker see the same numbers. Nothing is computed at import.
"""

from __future__ import annotations

import numpy as np

from .feedback import ATOL, RTOL, Feedback, as_numbers, check_array

__all__ = [
    "PATH_CASES",
    "PATH_NAMES",
    "exercise1_inputs",
    "exercise2_inputs",
    "check_dh_dz",
    "check_grad_a_h",
    "check_paths",
]

SEED = 6
N, H = 2, 4                # the exercises' shapes: batch, hidden units

PATH_NAMES = ("direct", "reset gate", "update gate", "candidate")   # the figure's four paths
PATH_CASES = ("notes, z = 0", "notes, z = 1", "torch, z = 0", "torch, z = 1")


def exercise1_inputs() -> dict[str, np.ndarray]:
    """Exercise 1's arrays for one example, the same on every call.

    Returns {"z": z_t, "h_prev": h_{t-1}, "h_cand": h̃_t}, each of shape (H,) = (4,); z_t in (0, 1)
    in the notes' convention (z → 1 replaces the memory).

    >>> {k: v.shape for k, v in exercise1_inputs().items()}
    {'z': (4,), 'h_prev': (4,), 'h_cand': (4,)}
    """
    rng = np.random.default_rng(SEED)
    z = rng.uniform(0.1, 0.9, H)                           # (H,)
    h_prev = rng.uniform(-0.9, 0.9, H)                     # (H,)
    h_cand = np.tanh(rng.normal(0.0, 1.0, H))              # (H,)
    return {"z": z, "h_prev": h_prev, "h_cand": h_cand}


def exercise2_inputs() -> dict[str, np.ndarray]:
    """Exercise 2's arrays for a batch, the same on every call.

    Returns {"grad_h": δh_t, "z": z_t (notes' convention), "h_cand": h̃_t}, each of shape
    (N, H) = (2, 4).

    >>> {k: v.shape for k, v in exercise2_inputs().items()}
    {'grad_h': (2, 4), 'z': (2, 4), 'h_cand': (2, 4)}
    """
    rng = np.random.default_rng(SEED + 1)
    grad_h = rng.normal(0.0, 1.0, (N, H))                  # (N, H)
    z = rng.uniform(0.1, 0.9, (N, H))                      # (N, H)
    h_cand = np.tanh(rng.normal(0.0, 1.0, (N, H)))         # (N, H)
    return {"grad_h": grad_h, "z": z, "h_cand": h_cand}


def check_dh_dz(dh_dz: object) -> Feedback:
    """Exercise 1: the diagonal of ∂h_t/∂z_t in the notes' convention, h̃_t − h_{t-1}, shape (H,) = (4,).

    Unit i of h_t depends on unit i of z_t only, so the Jacobian is diagonal and the answer is its
    diagonal. Recognised mistakes: torch's convention (the sign flips: h_{t-1} − h̃_t); h̃_t alone
    (forgetting that z_t also scales h_{t-1}); an extra factor z_t; the factors of the other two
    derivatives, z_t (∂h_t/∂h̃_t) and 1 − z_t (∂h_t/∂h_{t-1}); the full diagonal matrix.

    >>> a = exercise1_inputs()
    >>> check_dh_dz(a["h_cand"] - a["h_prev"])
    Correct: dh_dz matches.
    """
    a = exercise1_inputs()
    z, h_prev, h_cand = a["z"], a["h_prev"], a["h_cand"]  # (H,) each
    # h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t  =>  ∂h_t/∂z_t = h̃_t − h_{t-1}, unit by unit
    expected = h_cand - h_prev                             # (H,)
    matrix = as_numbers(dh_dz)
    if matrix is not None and matrix.shape == (H, H):
        if np.allclose(matrix, np.diag(expected), rtol=RTOL, atol=ATOL):
            return Feedback(False, "Not yet: your matrix is the right Jacobian, but the exercise asks for its "
                                   "diagonal, shape (4,): take np.diag(...) of it.")
    mistakes = {
        "you use torch's convention, h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t-1}, whose derivative has the "
        "opposite sign, h_{t-1} − h̃_t. In the notes' convention a larger z_t moves h_t TOWARDS h̃_t":
            h_prev - h_cand,
        "you differentiate only z_t ⊙ h̃_t. z_t also appears in (1 − z_t) ⊙ h_{t-1}, which contributes "
        "−h_{t-1}":
            h_cand,
        "you keep a factor z_t. The update is linear in z_t, so its derivative no longer contains z_t":
            z * (h_cand - h_prev),
        "you give ∂h_t/∂h̃_t = z_t, the derivative with respect to the candidate, not the gate":
            z,
        "you give ∂h_t/∂h_{t-1} = 1 − z_t (the direct path), not the derivative with respect to z_t":
            1 - z,
    }
    return check_array(dh_dz, expected, "dh_dz", mistakes=mistakes)


def check_grad_a_h(grad_a_h: object) -> Feedback:
    """Exercise 2: δa_h = δh_t ⊙ z_t ⊙ (1 − h̃_t²) for the arrays of `exercise2_inputs()`, shape (N, H).

    The notes' update sends δh̃_t = δh_t ⊙ z_t to the candidate, and h̃_t = tanh(a_h) multiplies by
    tanh'(a_h) = 1 − h̃_t². Recognised mistakes: no tanh slope; the sigmoid's slope h̃ (1 − h̃)
    instead; torch's convention (1 − z_t); the slope written (1 − h̃_t)²; no factor z_t.

    >>> a = exercise2_inputs()
    >>> check_grad_a_h(a["grad_h"] * a["z"] * (1 - a["h_cand"] ** 2))
    Correct: grad_a_h matches.
    """
    a = exercise2_inputs()
    grad_h, z, h_cand = a["grad_h"], a["z"], a["h_cand"]   # (N, H) each
    # δh̃_t = δh_t ⊙ z_t;  δa_h = δh̃_t ⊙ (1 − h̃_t²)
    expected = grad_h * z * (1 - h_cand**2)                 # (N, H)
    mistakes = {
        "you stop at δh̃_t = δh_t ⊙ z_t. The candidate is tanh(a_h), so the chain rule multiplies "
        "by tanh'(a_h) = 1 − h̃_t² on the way to a_h":
            grad_h * z,
        "you use the sigmoid's slope h̃ (1 − h̃). That is σ' = σ (1 − σ), for the gates; the candidate "
        "is squashed by tanh, whose slope is 1 − h̃_t²":
            grad_h * z * h_cand * (1 - h_cand),
        "you use torch's convention, where the candidate's share is 1 − z_t. In the notes' convention "
        "z_t is the share of the NEW memory, so δh̃_t = δh_t ⊙ z_t":
            grad_h * (1 - z) * (1 - h_cand**2),
        "you square (1 − h̃_t). The slope of tanh is 1 − h̃_t², one minus the SQUARE of h̃_t":
            grad_h * z * (1 - h_cand) ** 2,
        "you leave out z_t. Only the share z_t of h_t comes from h̃_t, so δh̃_t = δh_t ⊙ z_t":
            grad_h * (1 - h_cand**2),
    }
    return check_array(grad_a_h, expected, "grad_a_h", mistakes=mistakes)


def _expected_paths() -> dict[str, set[str]]:
    """The right answers of exercise 3: the paths of the figure that still carry a gradient."""
    through_candidate = {"candidate", "reset gate"}         # both reach h_t only through h̃_t
    return {
        "notes, z = 0": {"direct"},                          # h_t = h_{t-1}
        "notes, z = 1": through_candidate,                   # h_t = h̃_t
        "torch, z = 0": through_candidate,                   # h_t = h̃_t
        "torch, z = 1": {"direct"},                          # h_t = h_{t-1}
    }


def _as_path_set(answer: object) -> set[str] | None:
    """One case's answer as a set of names (a name alone, or a set, list or tuple of names); None if it is neither."""
    if isinstance(answer, str):
        return {answer}
    if isinstance(answer, (set, frozenset, list, tuple)) and all(isinstance(name, str) for name in answer):
        return set(answer)
    return None


def _named(paths: set[str]) -> str:
    """A set of path names as the learner would type it, in the figure's order: {'candidate', 'reset gate'}."""
    return "{" + ", ".join(repr(name) for name in PATH_NAMES if name in paths) + "}"


def check_paths(paths: object) -> Feedback:
    """Exercise 3: which of the figure's four paths still carry δh_t back to h_{t-1} when z_t is exactly 0 or 1?

    paths: a dict with the four keys of `PATH_CASES` ("notes, z = 0", ..., "torch, z = 1"), each mapped to
    the set of paths left open, named as in `PATH_NAMES` and in the chapter's figure: "direct" (the factor
    1 − z_t or z_t on h_{t-1}), "reset gate" (through r_t, then U_h and h̃_t), "update gate" (through U_z
    and z_t), "candidate" (through U_h (r_t ⊙ h_{t-1}) and h̃_t). A single name, a list or a tuple is
    accepted too.
    At z_t = 0 or 1 the gate's slope z_t (1 − z_t) is 0, so the update-gate path carries nothing. Where the
    gate keeps the memory, h_t = h_{t-1} and only the direct path is left; where it replaces the memory,
    h_t = h̃_t: the direct factor is 0, and both paths through h̃_t, "candidate" and "reset gate", stay open.

    >>> check_paths({"notes, z = 0": {"direct"}, "notes, z = 1": {"candidate", "reset gate"},
    ...              "torch, z = 0": ["candidate", "reset gate"], "torch, z = 1": "direct"})
    Correct: a saturated update gate closes its own path (its slope z_t (1 − z_t) is 0). Where it keeps the memory (notes z = 0, torch z = 1) only the direct path is left; where it replaces the memory (notes z = 1, torch z = 0) the direct path is closed and both paths through h̃_t, the candidate and the reset gate, stay open.
    """
    if paths is None:
        return Feedback(False, "Not yet: paths is still None. Replace the None with a dict of your answers.")
    if not isinstance(paths, dict):
        return Feedback(False, f"Not yet: paths should be a dict from the four cases to sets of path names, got {type(paths).__name__}.")
    missing = [case for case in PATH_CASES if case not in paths]
    if missing:
        return Feedback(False, f"Not yet: paths has no answer for {missing[0]!r}. The keys are {list(PATH_CASES)}.")
    answers = {}
    for case in PATH_CASES:
        if paths[case] is None:
            return Feedback(False, f"Not yet: the answer for {case!r} is still None. Give the set of paths left open, "
                                   f"such as {{'direct'}}, named from {list(PATH_NAMES)}.")
        answer = _as_path_set(paths[case])
        if answer is None:
            return Feedback(False, f"Not yet: the answer for {case!r} should be a set of path names, such as "
                                   f"{{'direct'}}, got {type(paths[case]).__name__}.")
        unknown = sorted(answer - set(PATH_NAMES))
        if unknown:
            return Feedback(False, f"Not yet: the answer for {case!r} contains {unknown[0]!r}, which is not one of "
                                   f"the figure's paths: {list(PATH_NAMES)}.")
        if not answer:
            return Feedback(False, f"Not yet: for {case!r} you leave no path open, but h_t still depends on h_{{t-1}}: "
                                   "either as a copy or through the candidate.")
        answers[case] = answer
    expected = _expected_paths()
    for case in PATH_CASES:
        answer, right = answers[case], expected[case]
        if answer == right:
            continue
        convention, z = case.split(", z = ")
        keeps = right == {"direct"}
        this, other = ("the notes'", "torch's") if convention == "notes" else ("torch's", "the notes'")
        if "update gate" in answer:
            return Feedback(False, f"Not yet: for {case!r} you chose the update gate. At z_t = 0 or 1 its slope "
                                   "σ'(a_z) = z_t (1 − z_t) is 0, so δa_z = 0 and nothing flows back through U_z.")
        if answer == expected[f"{'torch' if convention == 'notes' else 'notes'}, z = {z}"]:
            left = ("only the direct path is left" if keeps else
                    "the direct path is closed and both paths through h̃_t, 'candidate' and 'reset gate', are open")
            return Feedback(False, f"Not yet: for {case!r} you chose {_named(answer)}, which is the answer in "
                                   f"{other} convention. In {this} convention z = {z} "
                                   f"{'keeps' if keeps else 'replaces'} the memory: "
                                   f"{'h_t = h_{t-1}' if keeps else 'h_t = h̃_t'}, so {left}.")
        if keeps:
            return Feedback(False, f"Not yet: for {case!r} you chose {_named(answer)}. Here the gate keeps the memory, "
                                   "h_t = h_{t-1}: the candidate's share is 0, so nothing flows through h̃_t, neither "
                                   "along the candidate path nor along the reset gate's. Only the direct path is left.")
        if "direct" in answer:
            factor = "1 − z_t" if convention == "notes" else "z_t"
            return Feedback(False, f"Not yet: for {case!r} you keep the direct path open, but its factor {factor} is 0 "
                                   "here: h_t = h̃_t holds no copy of h_{t-1}.")
        if "reset gate" not in answer:
            return Feedback(False, f"Not yet: for {case!r} the reset gate's path is open too. h_t = h̃_t, and r_t "
                                   "reads h_{t-1} (through U_r) and scales what U_h sees: U_h (r_t ⊙ h_{t-1}).")
        return Feedback(False, f"Not yet: for {case!r} the candidate path is open too. h_t = h̃_t, and h_{{t-1}} "
                               "enters h̃_t directly, through U_h (r_t ⊙ h_{t-1}), besides its way through r_t.")
    return Feedback(True, "Correct: a saturated update gate closes its own path (its slope z_t (1 − z_t) is 0). "
                          "Where it keeps the memory (notes z = 0, torch z = 1) only the direct path is left; where it "
                          "replaces the memory (notes z = 1, torch z = 0) the direct path is closed and both paths "
                          "through h̃_t, the candidate and the reset gate, stay open.")
