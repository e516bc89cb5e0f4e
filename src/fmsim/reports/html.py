"""A self-contained HTML report: headings, paragraphs, tables and embedded PNG figures."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

__all__ = ["DISCLAIMER", "write_report"]

DISCLAIMER = (
    "FMSim is research and education software, not a medical device. It gives no diagnosis and "
    "no dosing advice; simulated people are not patients."
)

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;
text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
img{max-width:100%}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.6em 1em}
"""

Block = tuple[str, object]


def _table(rows: Sequence[Sequence[object]]) -> str:
    head, *body = rows
    out = ["<table><tr>", *(f"<th>{html.escape(str(c))}</th>" for c in head), "</tr>"]
    for row in body:
        out += ["<tr>", *(f"<td>{html.escape(str(c))}</td>" for c in row), "</tr>"]
    return "".join(out) + "</table>"


def write_report(path: str | Path, title: str, blocks: Sequence[Block]) -> Path:
    """Write an HTML report.

    Parameters
    ----------
    path : path
        Output file.
    title : str
    blocks : sequence of (kind, content)
        ``("h2", text)``, ``("p", text)``, ``("table", rows)`` (first row is the header) or
        ``("img", png_path)`` (embedded, so the report is one file).
    """
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
             f"</title><style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p class='note'>{html.escape(DISCLAIMER)}</p>"]
    for kind, content in blocks:
        if kind in ("h2", "p"):
            parts.append(f"<{kind}>{html.escape(str(content))}</{kind}>")
        elif kind == "table":
            parts.append(_table(content))  # type: ignore[arg-type]
        elif kind == "img":
            data = base64.b64encode(Path(content).read_bytes()).decode()  # type: ignore[arg-type]
            parts.append(f"<p><img alt='{html.escape(Path(content).stem)}' "  # type: ignore
                         f"src='data:image/png;base64,{data}'></p>")
        else:
            raise ValueError(f"unknown report block {kind!r}")
    parts.append("</body></html>")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
