"""A student's printable worksheet and its answer key: the network drawn, its activations and loss
with their formulas, the forward values given, a blank for every gradient and for one update. The
worksheet holds no answer; the key holds them all, from the same report model as `backprop gradients`,
written as the solution video writes them (the precision the worksheet asks for).
"""

from __future__ import annotations

from backprop.engine.forward import forward
from backprop.engine.labels import Symbols, fmt
from backprop.engine.operations import ACTIVATIONS, LOSSES
from backprop.engine.report import report_from_engine
from backprop.engine.spec import Network
from backprop.output.material.pages import render
from backprop.story.texts import bracketed, grad_text, updated_text


def given(v: float) -> str:
    """A number of the spec (one decimal, as the lecturer wrote it), with a true minus."""
    return f"{v:.1f}".replace("-", "−")


def update_param(net: Network) -> str:
    """The one update a worksheet asks for: the lesson's W1[1,2] where the network has it."""
    return "W1[1,2]" if net.sizes[0] >= 2 else "W1[1,1]"


def network_drawing(net: Network) -> dict:
    """Units in columns, every weight on its edge and every bias beside its unit; no gradient."""
    sym = Symbols(net.sizes)
    sizes = net.sizes
    width, height, r = 640, 80 + 110 * max(sizes), 24
    xs = [70 + k * (width - 140) / (len(sizes) - 1) for k in range(len(sizes))]

    def y(layer, j):
        return height / 2 + (j - (sizes[layer] - 1) / 2) * 110

    edges, units = [], []
    for l, layer in enumerate(net.layers, start=1):
        for j in range(layer.units):
            for i in range(sizes[l - 1]):
                x0, y0, x1, y1 = xs[l - 1] + r, y(l - 1, i), xs[l] - r, y(l, j)
                t = 0.3 if j % 2 == 0 else 0.7  # weights of one unit's edges stay apart from the other unit's
                edges.append({"x0": round(x0), "y0": round(y0), "x1": round(x1), "y1": round(y1),
                              "tx": round(x0 + t * (x1 - x0)), "ty": round(y0 + t * (y1 - y0) - 6),
                              "weight": given(float(layer.W[j, i]))})
    for l, count in enumerate(sizes):
        for j in range(count):
            units.append({"x": round(xs[l]), "y": round(y(l, j)),
                          "name": sym.input(j + 1) if l == 0 else sym.out(l, j + 1),
                          "bias": given(float(net.layers[l - 1].b[j])) if l > 0 else None})
    return {"title": f"The network: {net.shape_line()}", "width": width, "height": height, "r": r,
            "edges": edges, "units": units}


def forward_values(net: Network) -> list[tuple[str, str]]:
    sym = Symbols(net.sizes)
    fwd = forward(net)
    rows = [(sym.input(i + 1), given(float(v))) for i, v in enumerate(net.X[0])]
    for l in range(1, len(net.layers) + 1):
        for j in range(net.sizes[l]):
            rows.append((sym.z(l, j + 1), fmt(float(fwd.z[l][0, j]), 4)))
            rows.append((sym.out(l, j + 1), fmt(float(fwd.a[l][0, j]), 4)))
    return rows + [(sym.target(k + 1), given(float(t))) for k, t in enumerate(net.T[0])] + [("L", fmt(fwd.loss, 4))]


def rules(net: Network) -> tuple[list[dict], dict]:
    """Each layer's units with its activation, its formula and its slope; the loss and its gradient."""
    sym = Symbols(net.sizes)
    layers = []
    for l, layer in enumerate(net.layers, start=1):
        act = ACTIVATIONS[layer.activation]
        out = "y" if l == len(net.layers) else "h"
        # the function by its own name (σ, ReLU), never its derivative's symbol (σ′)
        layers.append({"units": ", ".join(sym.out(l, j + 1) for j in range(layer.units)), "name": act.display,
                       "formula": f"{out} = {act.gate}(z) = {act.definition}" if act.definition != "z"
                       else f"{out} = z",
                       "slope": act.formula.format(z="z", out=out)})
    loss = LOSSES[net.loss]
    return layers, {"name": loss.display, "formula": loss.formula,
                    "gradient": loss.grad_formula.format(out="y", z="z", t="t").split("  (")[0]}


def sheet(net: Network, student: str, answers: bool, video: str | None = None) -> str:
    """The worksheet (`answers` False: blanks) or the answer key (True: every gradient, the update,
    and a link to the solution `video` where there is one)."""
    report = report_from_engine(net)
    sym = Symbols(net.sizes)
    rows = [{"symbol": r.symbol, "path": r.path, "value": given(r.value), "gradient": grad_text(r.gradient)}
            for r in report.rows]
    target = next(r for r in report.rows if r.name == update_param(net))
    update = {"symbol": sym.param(target.name), "value": given(target.value),
              "gradient": bracketed(fmt(target.gradient)) if answers else "________",
              "new": updated_text(target.updated) if answers else "________"}
    layers, loss = rules(net)
    return render("sheet.html", what="Answer key" if answers else "Worksheet", student=student,
                  drawing=network_drawing(net), layers=layers, loss=loss, lr=f"{net.learning_rate:g}",
                  forward=forward_values(net), rows=rows, answers=answers, update=update,
                  video=video if answers else None)
