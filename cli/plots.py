"""PNG charts through matplotlib, an optional extra: ``pip install 'elect[plots]'``."""

from __future__ import annotations

from pathlib import Path

from elect.core.errors import ElectError

from .names import mathtext_safe as safe

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")


class MissingExtraError(ElectError):
    """An optional dependency is not installed."""


def check_image_name(path: str, what: str = "--plot") -> None:
    """A chart goes to an image file: refuse names that could be an input (shares.csv)."""
    from .common import UsageError

    if Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise UsageError(
            f"{what} {path!r}: not an image file name",
            hint="end the name with .png, .svg or .pdf (e.g. --plot shares.png)",
        )


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtraError(
            "--plot needs matplotlib, which is not installed",
            hint="pip install 'elect[plots]'",
        ) from exc
    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt

    return plt


def _source_line(fig, election) -> None:
    name = safe(Path(str(election.file or "")).name.replace("(bundled) ", ""))
    cited = f" ({len(election.sources)} sources cited in the file)" if election.sources else ""
    status = f", {election.status} results" if election.status else ""
    fig.text(0.01, 0.01, f"Data: {name}{cited}{status}. Chart: elect.", fontsize=7, color="0.35")


def _save(run, fig, path: str) -> None:
    import io

    from .output import write_bytes

    kind = Path(path).suffix.lower().lstrip(".")
    buf = io.BytesIO()
    fig.savefig(buf, format=kind if "." + kind in IMAGE_SUFFIXES else "png", dpi=150)
    write_bytes(run, path, buf.getvalue(), "--plot")


def _label_bars(ax, bars, labels: list[str], fontsize: int) -> None:
    for bar, label in zip(bars, labels, strict=True):
        y = bar.get_y() + bar.get_height() / 2
        ax.text(bar.get_width() + 0.5, y, label, va="center", fontsize=fontsize)


def _finish_bars(run, plt, fig, ax, election, path: str) -> None:
    """The publication look shared by the bar charts: no box, a source line, saved."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _source_line(fig, election)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    _save(run, fig, path)
    plt.close(fig)


def fingerprint_png(run, rep, path: str) -> None:
    import numpy as np

    plt = _pyplot()
    fp = rep.fingerprint
    counts = np.asarray(fp.counts, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 6))
    img = ax.imshow(
        np.log1p(counts.T),
        origin="lower",
        extent=[0, 100, 0, 100],
        cmap="Greys",
        aspect="auto",
    )
    ax.set_xlabel("Turnout at the station (%)")
    ax.set_ylabel(f"{safe(rep.leader_name)}'s share at the station (%)")
    ax.set_title(f"{safe(rep.election.name)}: turnout × leader share, {rep.stations:,} stations")
    fig.colorbar(img, ax=ax, label="log(1 + stations)")
    _source_line(fig, rep.election)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _save(run, fig, path)
    plt.close(fig)


def shares_png(run, report, path: str) -> None:
    plt = _pyplot()
    rows = [r for r in report.shares if r.shown_share is not None]
    names = [safe(r.name) for r in rows][::-1]
    values = [float(r.shown_share) for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.6))
    bars = ax.barh(names, values, color=["0.15" if r.winner else "0.6" for r in rows][::-1])
    labels = [
        f"{r.shown_share:.2f}%" + (f"  ({r.votes:,})" if r.votes is not None else "")
        for r in rows[::-1]
    ]
    _label_bars(ax, bars, labels, fontsize=8)
    ax.set_xlim(0, max(values + [1]) * 1.25)
    ax.set_xlabel(f"Share of {report.base} votes (%)")
    ax.set_title(f"{safe(report.election.name)}: {safe(report.contest.name)}")
    _finish_bars(run, plt, fig, ax, report.election, path)


def turnout_png(run, report, path: str) -> None:
    from elect.core.regions import regional_turnouts

    plt = _pyplot()
    # (turnout, row, abroad) for the units whose turnout is known, lowest first.
    known = sorted(
        (
            (t, r, abroad)
            for r, abroad in regional_turnouts(report.contest)
            if (t := r.turnout) is not None
        ),
        key=lambda k: k[0],
    )
    pairs = [(r, abroad) for _, r, abroad in known]
    rows = [r for r, _ in pairs]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.6))
    bars = ax.barh(
        [
            safe(r.name) + (" (abroad)" if abroad and "abroad" not in r.name.lower() else "")
            for r, abroad in pairs
        ],
        [float(t) for t, _, _ in known],
        color=["white" if abroad else "0.5" for _, abroad in pairs],
        edgecolor="0.2",
        hatch=None,
    )
    for bar, (_, abroad) in zip(bars, pairs, strict=True):
        if abroad:
            bar.set_hatch("///")  # abroad stands apart in grey-scale print too
    _label_bars(ax, bars, [f"{r.turnout:.2f}" for r in rows], fontsize=7)
    if report.summary.turnout is not None:
        ax.axvline(float(report.summary.turnout), color="0.1", linestyle="--", linewidth=1)
        ax.text(
            float(report.summary.turnout),
            len(rows) - 0.4,
            f" national {report.summary.turnout:.2f}%",
            fontsize=8,
            va="bottom",
        )
    ax.set_xlim(0, 100)
    ax.set_xlabel("Turnout (%)")
    ax.set_title(f"{safe(report.election.name)}: turnout by region")
    _finish_bars(run, plt, fig, ax, report.election, path)
