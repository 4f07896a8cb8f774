"""Draws book/figures/gru_cell.svg, the GRU cell in the notes' symbols and update convention.

    python book/figures/draw_gru_cell.py

Run it after changing the drawing and commit the SVG; the book shows the SVG.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

BLUE, ORANGE, GREEN, PURPLE, GREY = "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#444444"
plt.rcParams["svg.fonttype"] = "path"       # text as outlines: the SVG looks the same everywhere


def arrow(ax, points, color=GREY, head=True):
    xs, ys = zip(*points)
    ax.plot(xs[:-1] + (xs[-1],), ys[:-1] + (ys[-1],), color=color, lw=1.8, solid_capstyle="round", zorder=1)
    if head:
        ax.annotate("", xy=points[-1], xytext=points[-2],
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=1.8, shrinkA=0, shrinkB=0), zorder=2)


def box(ax, x, y, text, color, w=0.9, h=0.6):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                fc=color, ec="black", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=15, color="white", zorder=4)


def node(ax, x, y, text):
    ax.add_patch(Circle((x, y), 0.22, fc="white", ec="black", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=14, zorder=4)


def label(ax, x, y, text, **kw):
    ax.text(x, y, text, fontsize=15, ha=kw.pop("ha", "center"), va=kw.pop("va", "center"), **kw)


def draw(path: Path) -> None:
    fig, ax = plt.subplots(figsize=(9, 5.6))
    ax.set_xlim(-0.6, 10.2)
    ax.set_ylim(-0.7, 5.9)
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((0.7, 0.3), 8.1, 5.1, boxstyle="round,pad=0.1", fc="#F4F4F4", ec=GREY, lw=1, zorder=0))

    # the memory line along the top: h_{t-1} -> (1 − z_t) ⊙ h_{t-1} -> + -> h_t
    arrow(ax, [(-0.4, 5.0), (3.78, 5.0)], BLUE)
    arrow(ax, [(4.22, 5.0), (7.58, 5.0)], BLUE)
    arrow(ax, [(8.02, 5.0), (9.9, 5.0)], BLUE)
    label(ax, -0.4, 5.35, r"$h_{t-1}$", ha="left")
    label(ax, 9.9, 5.35, r"$h_t$", ha="right")
    node(ax, 4.0, 5.0, r"$\odot$")
    node(ax, 7.8, 5.0, "+")

    # inputs: x_t (orange) and h_{t-1} (blue) buses along the bottom
    arrow(ax, [(1.05, -0.5), (1.05, 0.9), (6.6, 0.9)], ORANGE, head=False)
    label(ax, 1.25, -0.45, r"$x_t$", ha="left")
    arrow(ax, [(1.4, 5.0), (1.4, 1.4), (4.2, 1.4)], BLUE, head=False)
    for gx in (2.4, 4.0):                         # both gates read x_t and h_{t-1}
        arrow(ax, [(gx - 0.2, 0.9), (gx - 0.2, 1.95)], ORANGE)
        arrow(ax, [(gx + 0.2, 1.4), (gx + 0.2, 1.95)], BLUE)
    arrow(ax, [(6.6, 0.9), (6.6, 1.95)], ORANGE)   # the candidate reads x_t ...

    # reset gate: r_t ⊙ h_{t-1}, into the candidate
    box(ax, 2.4, 2.3, r"$\sigma$", GREEN)
    label(ax, 1.75, 2.3, r"$r_t$", ha="right", color=GREEN)
    arrow(ax, [(2.4, 2.65), (2.4, 3.18)], GREEN)
    arrow(ax, [(2.4, 5.0), (2.4, 3.62)], BLUE)
    node(ax, 2.4, 3.4, r"$\odot$")
    arrow(ax, [(2.62, 3.4), (6.35, 3.4), (6.35, 2.65)], GREY)   # ... and r_t ⊙ h_{t-1}

    # update gate: 1 − z_t onto the memory line, z_t onto the candidate
    box(ax, 4.0, 2.3, r"$\sigma$", PURPLE)
    label(ax, 4.55, 2.75, r"$z_t$", ha="left", color=PURPLE)
    arrow(ax, [(4.0, 2.65), (4.0, 4.2)], PURPLE, head=False)
    arrow(ax, [(4.0, 4.2), (4.0, 4.78)], PURPLE)
    ax.text(3.55, 4.5, r"$1-$", fontsize=14, ha="right", va="center", color=PURPLE)
    arrow(ax, [(4.0, 4.2), (7.2, 4.2), (7.2, 3.6), (7.58, 3.6)], PURPLE)

    # candidate h̃_t = tanh(...), then z_t ⊙ h̃_t, then added to the memory line
    box(ax, 6.6, 2.3, "tanh", ORANGE, w=1.1)
    arrow(ax, [(7.15, 2.3), (7.8, 2.3), (7.8, 3.38)], ORANGE)
    label(ax, 8.0, 2.75, r"$\tilde{h}_t$", ha="left", color="#B07800")
    node(ax, 7.8, 3.6, r"$\odot$")
    arrow(ax, [(7.8, 3.82), (7.8, 4.78)], GREY)

    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)


if __name__ == "__main__":
    draw(Path(__file__).with_name("gru_cell.svg"))
