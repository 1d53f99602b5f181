"""Charts as inline SVG: no JavaScript library, no CDN, so a report opens offline, anywhere."""

from __future__ import annotations

from html import escape

PALETTE = ("#3b6fb6", "#e07b39", "#5aa469", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")


def _number(value: float) -> str:
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:g}"


def _figure(name: str, title: str, width: int, height: int, body: str) -> str:
    return (
        f'<figure class="chart" data-chart="{escape(name)}"><figcaption>{escape(title)}</figcaption>'
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{escape(title)}">{body}</svg></figure>'
    )


def hbar_chart(name: str, title: str, labels: list[str], values: list[float]) -> str:
    """Horizontal bars, one per label: for rankings and categories."""
    row, left, width = 22, 230, 760
    height = row * len(labels) + 10
    peak = max(values, default=0) or 1
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y, length = i * row + 5, (width - left - 70) * value / peak
        bars.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">{escape(str(label))[:34]}</text>'
            f'<rect class="bar" x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}"'
            f' fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(str(label))}: {value:,}</title></rect>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15}" font-size="11">{_number(value)}</text>'
        )
    return _figure(name, title, width, height, "".join(bars))


def column_chart(
    name: str, title: str, labels: list[str], values: list[float], line: list[float] | None = None,
    highlight: set[int] | None = None,
) -> str:  # fmt: skip
    """Vertical columns over an ordered axis (months, days, depths), with an optional line on its own scale."""
    width, height, bottom, left = 980, 300, 40, 50
    slot = (width - left - 10) / max(len(values), 1)
    peak = max(values, default=0) or 1
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#999"/>']
    step = max(1, len(labels) // 12)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - bottom - 20) * value / peak
        x = left + i * slot
        colour = PALETTE[1] if highlight and i in highlight else PALETTE[0]
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(slot - 2, 1):.1f}"'
            f' height="{h:.1f}" fill="{colour}"><title>{escape(str(label))}: {value:,}</title></rect>'
        )
        if i % step == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="11">{escape(str(label))}</text>')
    parts.append(f'<text x="4" y="16" font-size="11">max {_number(peak)}</text>')
    if line:
        top = max(line) or 1
        points = " ".join(
            f"{left + (i + 0.5) * slot:.1f},{height - bottom - (height - bottom - 20) * v / top:.1f}"
            for i, v in enumerate(line)
        )
        parts.append(f'<polyline class="line" points="{points}" fill="none" stroke="{PALETTE[3]}" stroke-width="2"/>')
        parts.append(
            f'<text x="{width - 160}" y="16" font-size="11" fill="{PALETTE[3]}">cumulative {_number(top)}</text>'
        )
    return _figure(name, title, width, height, "".join(parts))
