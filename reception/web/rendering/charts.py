"""Server-rendered SVG bar charts (no script): each has a <title> and <desc>, and the page
shows the same numbers in a table for screen readers and printing."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 600, 220, 28


def bar_chart(title: str, desc: str, labels: Sequence[str],
              series: Sequence[tuple[str, Sequence[int], str]]) -> str:
    """Grouped bars; `series` is (name, values, css class)."""
    top = max([1, *(v for _, values, _ in series for v in values)])
    n = max(1, len(labels))
    group = (WIDTH - 2 * PAD) / n
    bar = max(2.0, group * 0.8 / max(1, len(series)))
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="t-{id(labels)} d-{id(labels)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="t-{id(labels)}">{escape(title)}</title>',
             f'<desc id="d-{id(labels)}">{escape(desc)}</desc>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>']
    for i, label in enumerate(labels):
        x0 = PAD + i * group + group * 0.1
        for j, (_, values, css) in enumerate(series):
            value = values[i] if i < len(values) else 0
            h = (HEIGHT - 2 * PAD) * value / top
            parts.append(f'<rect class="{css}" x="{x0 + j * bar:.1f}" y="{HEIGHT - PAD - h:.1f}" '
                         f'width="{bar - 1:.1f}" height="{h:.1f}"/>')
        parts.append(f'<text x="{x0 + group * 0.4:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append(f'<text x="{PAD}" y="16">{top}</text></svg>')
    return "".join(parts)
