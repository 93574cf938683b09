"""What the vanishing scene says, true of the network shown: a chain multiplies by w × f′(z) at each
step back; a layer of several units sums over them, so the bars are means and the factor between two
bars is a ratio of means. The closing line names the network's own hidden activations."""

from __future__ import annotations

from backprop.engine.depth import LayerSize, shrinkage
from backprop.engine.labels import fmt
from backprop.engine.operations import ACTIVATIONS, Activation
from backprop.language import _


def is_chain(sizes: list[int]) -> bool:
    """One unit in every layer (the input's too): each step back is one product w × f′(z)."""
    return all(n == 1 for n in sizes)


def hidden_names(sizes: list[LayerSize]) -> list[str]:
    """The hidden layers' activations as written on screen, each once, first layer first."""
    names: list[str] = []
    for s in sizes[:-1]:
        name = ACTIVATIONS[s.activation].display
        if name not in names:
            names.append(name)
    return names


def prime(symbol: str) -> str:
    """σ' as the scene writes it: σ′."""
    return symbol.replace("'", "′")


def bound_text(bounded: list[Activation]) -> str:
    """` (σ′ ≤ 0.25)`: the hidden activations whose local gradient is bounded below 1."""
    return f" ({', '.join(f'{prime(a.symbol)} ≤ {a.local_max:g}' for a in bounded)})" if bounded else ""


def steps_caption(chain: bool, bounded: list[Activation]) -> str:
    bound = bound_text(bounded)
    if chain:
        return _("Each step back multiplies by w × f′(z){bound}").format(bound=bound)
    return _("Each step back: the ratio of the layers' mean gradients{bound}").format(bound=bound)


def steps_key(chain: bool) -> str:
    """The note under the bars: what the numbers between and below them are."""
    if chain:
        return _("below: each layer's f′(z); between bars: one step back, × w × f′(z)")
    return _("below: each layer's mean f′(z); between bars: ratio of the two layers' means")


def shrink_sentence(sizes: list[LayerSize], chain: bool, bounded: list[Activation]) -> str:
    """Each clause a whole one (a catalog orders its words): the step, why it shrinks, what layer 1 gets."""
    total, last = shrinkage(sizes), len(sizes)
    step = (_("Each step back multiplies by a weight and the local gradient") if chain else
            _("Each step back multiplies by the weights and local gradients, summed over the units"))
    why = "".join(_("{symbol} is at most {bound}, ").format(symbol=prime(a.symbol), bound=f"{a.local_max:g}")
                  for a in bounded)
    if total == float("inf"):
        result = _("and layer 1 gets nothing")
    elif total >= 1:
        size = fmt(total, 0) if total >= 10 else fmt(total, 1)
        result = (_("so layer 1's gradient is {size} times smaller than layer {last}'s") if chain else
                  _("so layer 1's mean gradient is {size} times smaller than layer {last}'s")).format(size=size, last=last)
    else:
        size = fmt(1 / total, 1)
        result = (_("so layer 1's gradient is {size} times larger than layer {last}'s") if chain else
                  _("so layer 1's mean gradient is {size} times larger than layer {last}'s")).format(size=size, last=last)
    return _("{step}; {why}{result}.").format(step=step, why=why, result=result)


def closing(sizes: list[LayerSize], dead: bool) -> tuple[str, str]:
    """The chapter's last caption and its sentence, naming the network's own hidden activations."""
    names = _(" and ").join(hidden_names(sizes))
    if shrinkage(sizes) >= 2:
        caption = _("Deep {names} nets: early layers learn slowly").format(names=names)
        said = _("Through these {names} layers the gradient shrinks, so the early layers learn slowly").format(names=names)
    else:
        caption = said = _("Here the gradient keeps its size through the {names} layers").format(names=names)
    if dead:
        caption = _("{caption}; dead ReLU units don't learn").format(caption=caption)
        said = _("{said}; a ReLU unit stuck below zero gets no gradient at all").format(said=said)
    return caption, said + "."
