"""A student's printable worksheet and its answer key: the network drawn, the forward values given,
a blank for every gradient and for one update. The worksheet holds no answer; the key holds them all,
from the same report model as `backprop gradients`.
"""

from __future__ import annotations

from html import escape

from backprop.engine.forward import forward
from backprop.engine.labels import Symbols, fmt
from backprop.engine.report import report_from_engine
from backprop.engine.spec import Network

STYLE = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 50rem; margin: 1.5rem auto; color: #000; background: #fff; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } th, td { border: 1px solid #444; padding: 0.25rem 0.7rem; text-align: left; }
td.blank { min-width: 7rem; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font: 14px "DejaVu Sans", sans-serif; }
@media print { body { margin: 0; } a { color: #000; } }
"""


def given(v: float) -> str:
    """A number of the spec (one decimal, as the lecturer wrote it), with a true minus."""
    return f"{v:.1f}".replace("-", "−")


def update_param(net: Network) -> str:
    """The one update a worksheet asks for: the lesson's W1[1,2] where the network has it."""
    return "W1[1,2]" if net.sizes[0] >= 2 else "W1[1,1]"


def network_svg(net: Network) -> str:
    """Units in columns, every weight on its edge and every bias beside its unit; no gradient."""
    sym = Symbols(net.sizes)
    sizes = net.sizes
    width, height, r = 640, 80 + 110 * max(sizes), 24
    xs = [70 + k * (width - 140) / (len(sizes) - 1) for k in range(len(sizes))]

    def y(layer, j):
        return height / 2 + (j - (sizes[layer] - 1) / 2) * 110

    def name(layer, j):
        return sym.input(j + 1) if layer == 0 else sym.out(layer, j + 1)

    parts = []
    for l, layer in enumerate(net.layers, start=1):
        for j in range(layer.units):
            for i in range(sizes[l - 1]):
                x0, y0, x1, y1 = xs[l - 1] + r, y(l - 1, i), xs[l] - r, y(l, j)
                t = 0.3 if j % 2 == 0 else 0.7  # weights of one unit's edges stay apart from the other unit's
                parts.append(f'<line x1="{x0:.0f}" y1="{y0:.0f}" x2="{x1:.0f}" y2="{y1:.0f}" stroke="#555"/>')
                parts.append(f'<text x="{x0 + t * (x1 - x0):.0f}" y="{y0 + t * (y1 - y0) - 6:.0f}" '
                             f'text-anchor="middle">{escape(given(float(layer.W[j, i])))}</text>')
    for l, units in enumerate(sizes):
        for j in range(units):
            parts.append(f'<circle cx="{xs[l]:.0f}" cy="{y(l, j):.0f}" r="{r}" fill="#fff" stroke="#000"/>')
            parts.append(f'<text x="{xs[l]:.0f}" y="{y(l, j) + 5:.0f}" text-anchor="middle">{escape(name(l, j))}</text>')
            if l > 0:
                parts.append(f'<text x="{xs[l]:.0f}" y="{y(l, j) + r + 18:.0f}" text-anchor="middle">'
                             f'b = {escape(given(float(net.layers[l - 1].b[j])))}</text>')
    title = f"The network: {net.shape_line()}"
    return (f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
            + "".join(parts) + "</svg>")


def forward_table(net: Network) -> str:
    sym = Symbols(net.sizes)
    fwd = forward(net)
    rows = [(sym.input(i + 1), given(float(v))) for i, v in enumerate(net.X[0])]
    for l in range(1, len(net.layers) + 1):
        for j in range(net.sizes[l]):
            rows.append((sym.z(l, j + 1), fmt(float(fwd.z[l][0, j]))))
            rows.append((sym.out(l, j + 1), fmt(float(fwd.a[l][0, j]))))
    rows += [(sym.target(k + 1), given(float(t))) for k, t in enumerate(net.T[0])] + [("L", fmt(fwd.loss, 4))]
    body = "".join(f'<tr><th scope="row">{escape(n)}</th><td class="num">{escape(v)}</td></tr>' for n, v in rows)
    return f'<table><caption>Forward values (given)</caption><tbody>{body}</tbody></table>'


def sheet(net: Network, student: str, answers: bool) -> str:
    """The worksheet (`answers` False: blanks) or the answer key (True: every gradient, the update)."""
    report = report_from_engine(net)
    sym = Symbols(net.sizes)
    lr = f"{net.learning_rate:g}"
    rows = []
    for r in report.rows:
        cell = (f'<td class="num">{escape(fmt(r.gradient, plus=True))}</td>' if answers
                else '<td class="blank" aria-label="your answer"></td>')
        rows.append(f"<tr><td>{escape(r.symbol)}</td><td>{escape(r.path)}</td><td class=\"num\">"
                    f"{escape(given(r.value))}</td>{cell}</tr>")
    target = next(r for r in report.rows if r.name == update_param(net))
    new = escape(fmt(target.updated, 4)) if answers else "________"
    grad = escape(fmt(target.gradient)) if answers else "________"
    what = "Answer key" if answers else "Worksheet"
    body = (f"<h1>Backpropagation by hand — {what}</h1>\n<p>Student: {escape(student)}</p>\n"
            f"<h2>The network</h2>\n{network_svg(net)}\n<p>Loss: {escape(net.loss)} "
            f"(L = ½ (y − t)²); learning rate η = {lr}.</p>\n"
            f"<h2>Forward pass</h2>\n{forward_table(net)}\n"
            f"<h2>Gradients</h2>\n<p>Give every gradient to three decimals.</p>\n<table><thead><tr><th scope=\"col\">"
            f"parameter</th><th scope=\"col\">connects</th><th scope=\"col\">value</th><th scope=\"col\">∂L/∂parameter"
            f"</th></tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
            f"<h2>One update</h2>\n<p>{escape(sym.param(target.name))} ← {escape(given(target.value))} − {lr} × "
            f"{grad} = {new}</p>")
    title = f"{what}: {student}"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")
