"""Network spec: load (preset name, JSON or TOML file), validate every field, normalise into a Network.

Every problem raises SpecError naming the field the way the spec writes it (`layers[1].weights`), so
the command line can print one line and exit 2. Specs are data only: JSON or TOML, never code.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field as _field

import numpy as np

from backprop.engine.graph.presets import GRAPH_PRESETS
from backprop.engine.operations import ACTIVATIONS, DEFAULT_LOSS, LOSSES
from backprop.engine.presets import PRESETS
from backprop.language import _

# Limits (documented in the README). The engine itself is vectorised and handles large networks;
# these only keep a typo from asking for terabytes.
MAX_LAYERS = 64
MAX_UNITS = 4096
MAX_EXAMPLES = 4096
MAX_PARAMS = 5_000_000
MAX_ABS = 1e6  # inputs, targets, weights, biases
MAX_FILE_BYTES = 50 * 2**20
MAX_NAME = 200  # characters

TOP_FIELDS = {"name", "description", "inputs", "targets", "input", "target", "layers", "loss",
              "learning_rate", "seed", "frozen"}
LAYER_FIELDS = {"units", "activation", "weights", "bias", "residual"}


class SpecError(ValueError):
    """A spec problem: `field` is where (as the spec writes it), `message` what was expected."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Layer:
    units: int
    activation: str
    W: np.ndarray  # units × fan_in; W[j, i] is the weight into unit j from unit i
    b: np.ndarray  # units
    residual: bool = False  # output = input + f(W·input + b): a skip around the layer


@dataclass
class Network:
    name: str
    X: np.ndarray  # examples × inputs
    T: np.ndarray  # examples × outputs
    layers: list[Layer]
    loss: str
    learning_rate: float
    description: str = ""
    # the spec's `frozen`: array name → boolean mask of the entries updates leave unchanged
    frozen: dict[str, np.ndarray] = _field(default_factory=dict)

    @property
    def sizes(self) -> list[int]:
        return [self.X.shape[1]] + [layer.units for layer in self.layers]

    @property
    def n_params(self) -> int:
        return sum(layer.W.size + layer.b.size for layer in self.layers)

    def params(self) -> dict[str, np.ndarray]:
        """W1, b1, W2, b2, … (the arrays themselves, not copies)."""
        out = {}
        for n, layer in enumerate(self.layers, start=1):
            out[f"W{n}"] = layer.W
            out[f"b{n}"] = layer.b
        return out

    def shape_line(self) -> str:
        """`2 → 2 ReLU → 1 sigmoid, MSE, t = 1.0`: the network in one line, for titles (in the language
        spoken when it is called; the timeline keeps the English one)."""
        parts = [str(self.X.shape[1])]
        for layer in self.layers:
            name = ACTIVATIONS[layer.activation].display
            parts.append(_("{units} {activation} + skip").format(units=layer.units, activation=name) if layer.residual
                         else f"{layer.units} {name}")
        loss = LOSSES[self.loss].display
        line = " → ".join(parts) + f", {loss}"
        if self.T.shape[0] == 1:
            line += ", t = " + _target_text(self.T[0])
        else:
            line += ", " + _("batch of {n}").format(n=self.T.shape[0])
        return line


def _target_text(t: np.ndarray) -> str:
    """1.0 · [0.0, 1.0] · a long one-hot target summarised: "one-hot: class 9 of 20"."""
    if t.size > 4 and np.count_nonzero(t) == 1 and t.max() == 1.0:
        return _("one-hot: class {k} of {n}").format(k=int(np.argmax(t)) + 1, n=t.size)
    values = ", ".join((f"{v:g}" if v != int(v) else f"{v:.1f}").replace("-", "−") for v in t[:6])
    if t.size == 1:
        return values
    return f"[{values}{', …' if t.size > 6 else ''}]"


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_network(source: str | None) -> Network:
    """A preset name or a path to a JSON/TOML spec → a validated Network (or a Graph: `graph` specs)."""
    source = source or "seed"
    presets = {**PRESETS, **GRAPH_PRESETS}
    if source in presets:
        return parse_spec(presets[source])
    looks_like_path = os.sep in source or source.endswith((".json", ".toml")) or os.path.exists(source)
    if not looks_like_path:
        raise SpecError("network", f"no preset or file named '{source}'{suggest(source, presets)}; "
                                   f"presets: {', '.join(presets)}")
    return parse_spec(read_spec_file(source))


def read_regular_file(path: str, field: str, limit: int, hint: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a SpecError on `field`.

    Only a regular file is read, and at most the limit + 1 byte of it: a FIFO would wait for a writer
    for ever, /dev/zero has size 0 yet never ends, and a file cut at the limit would be read as if whole.
    """
    too_big = SpecError(field, f"'{path}' is larger than {limit / 2**20:g} MiB")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # O_NONBLOCK: a FIFO opens without a writer
    except FileNotFoundError:
        raise SpecError(field, f"file '{path}' does not exist") from None
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        raise SpecError(field, f"cannot read '{path}': {getattr(e, 'strerror', None) or e}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SpecError(field, f"'{path}' is a directory, expected a file")
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(field, f"'{path}' is not a regular file (a device, FIFO or socket); {hint}")
        raise too_big
    with os.fdopen(fd, "rb") as f:
        try:
            raw = f.read(limit + 1)
        except OSError as e:
            raise SpecError(field, f"cannot read '{path}': {e.strerror or e}") from None
    if len(raw) > limit:  # it grew while we read
        raise too_big
    return raw


def read_spec_file(path: str, field: str = "network"):
    """Parse a JSON or TOML data file; every problem is a SpecError on `field`. Data only: no code."""
    raw = read_regular_file(path, field, MAX_FILE_BYTES, "save the spec to a file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SpecError(field, f"'{path}' is not UTF-8 text (byte {e.start})") from None
    text = text.removeprefix("\ufeff")  # the byte-order mark Notepad writes
    if path.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError) as e:
            raise SpecError(field, f"'{path}' is not valid TOML: {str(e).split(';')[0]}") from None
    return parse_json(text, path, field)


def parse_json(text: str, origin: str = "spec", field: str = "network"):
    def reject_constant(name):
        raise SpecError(field, f"{name} is not a number a spec may hold")

    def unique_keys(pairs):  # JSON would silently keep the last of two equal keys
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise SpecError(key if field == "network" else f"{field}.{key}",
                                "given twice in one object; keep one")
            obj[key] = value
        return obj

    try:
        data = json.loads(text, parse_constant=reject_constant, object_pairs_hook=unique_keys)
        if _SURROGATE_ESCAPE.search(text):
            _no_lone_surrogates(data, "" if field == "network" else field)
        return data
    except SpecError:
        raise
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}"
        raise SpecError(field, f"'{origin}' is not valid JSON: {e.msg} at {where}") from None
    except RecursionError:
        raise SpecError(field, f"'{origin}' is nested too deeply") from None
    except ValueError:  # an integer of thousands of digits
        raise SpecError(field, f"'{origin}' holds a number with too many digits to read") from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value, where: str) -> None:
    """JSON may spell half of a UTF-16 pair ("\\ud800"), which is not text: no output could hold it."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise SpecError(where or "network", "holds a lone UTF-16 surrogate (half of a \\uXXXX pair), "
                                                "which is not text")
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else key
            _no_lone_surrogates(key, inner)
            _no_lone_surrogates(item, inner)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_lone_surrogates(item, f"{where}[{i}]")


# ---- field checks -------------------------------------------------------------------------------

def _number(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(field, f"expected a number, got {_kind(value)}")
    try:
        x = float(value)
    except OverflowError:  # an integer with hundreds of digits
        digits = len(str(abs(value)))
        raise SpecError(field, f"expected a number with |x| ≤ {MAX_ABS:g}, got a {digits}-digit integer") from None
    if not math.isfinite(x):
        raise SpecError(field, "expected a finite number, got NaN or infinity")
    if abs(x) > MAX_ABS:
        raise SpecError(field, f"expected a number with |x| ≤ {MAX_ABS:g}, got {x:g}")
    return x


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), type(value).__name__)


def _vector(value, field: str, length: int | None = None) -> np.ndarray:
    if not isinstance(value, list):
        raise SpecError(field, f"expected a list of numbers, got {_kind(value)}")
    if length is not None and len(value) != length:
        raise SpecError(field, f"expected {length} numbers, got {len(value)}")
    if not value:
        raise SpecError(field, "expected a non-empty list of numbers")
    return np.array([_number(v, f"{field}[{i}]") for i, v in enumerate(value)], dtype=float)


def _matrix(value, field: str, rows: int | None, cols: int | None) -> np.ndarray:
    if not isinstance(value, list) or not value:
        raise SpecError(field, f"expected a non-empty list of rows, got {_kind(value)}")
    if not all(isinstance(r, list) for r in value):
        bad = next(i for i, r in enumerate(value) if not isinstance(r, list))
        raise SpecError(f"{field}[{bad}]", f"expected a row (a list of numbers), got {_kind(value[bad])}")
    got = (len(value), len(value[0]))
    if rows is not None and cols is not None and (got[0] != rows or any(len(r) != cols for r in value)):
        shape = f"{got[0]}×{got[1]}" if all(len(r) == got[1] for r in value) else f"{got[0]} rows of unequal length"
        raise SpecError(field, f"expected {rows}×{cols}, got {shape}")
    cols = cols if cols is not None else got[1]
    return np.array([_vector(r, f"{field}[{i}]", cols) for i, r in enumerate(value)], dtype=float)


def _int(value, field: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SpecError(field, f"expected a whole number, got {_kind(value)}")
    if not lo <= value <= hi:
        raise SpecError(field, f"expected a whole number from {lo} to {hi}, got {value}")
    return value


def _choice(value, field: str, choices) -> str:
    if not isinstance(value, str):
        raise SpecError(field, f"expected one of {', '.join(choices)}, got {_kind(value)}")
    if value not in choices:
        raise SpecError(field, f"unknown '{value}'{suggest(value, choices)}; expected one of {', '.join(choices)}")
    return value


def _no_unknown(obj: dict, allowed: set, field: str):
    for key in obj:
        if key not in allowed:
            where = f"{field}.{key}" if field else str(key)
            raise SpecError(where, f"unknown field{suggest(key, allowed)}")


def _examples(spec: dict, plural: str, single: str) -> tuple[str, object]:
    if plural in spec and single in spec:
        raise SpecError(single, f"give either '{plural}' or '{single}', not both")
    if plural in spec:
        return plural, spec[plural]
    if single in spec:
        return single, [spec[single]]
    raise SpecError(plural, f"missing (a list of examples, or '{single}' for one)")


def name_and_description(spec: dict, default: str) -> tuple[str, str]:
    name = spec.get("name", default)
    if not isinstance(name, str) or not name.strip():
        raise SpecError("name", f"expected a non-empty string, got {_kind(name)}")
    if len(name) > MAX_NAME:
        raise SpecError("name", f"at most {MAX_NAME} characters, got {len(name)}")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise SpecError("description", f"expected a string, got {_kind(description)}")
    return name, description


def parse_spec(spec) -> Network:
    """Validate a spec (already parsed JSON/TOML) and build the Network, drawing missing weights; a
    spec with `graph` instead of `layers` is a computational graph (backprop.engine.graph.spec.Graph)."""
    if not isinstance(spec, dict):
        raise SpecError("network", f"expected a JSON object at the top, got {_kind(spec)}")
    if "graph" in spec:
        if "layers" in spec:
            raise SpecError("graph", "give either 'layers' (a network) or 'graph' (a program), not both")
        from backprop.engine.graph.spec import parse_graph_spec  # it checks fields with this module's helpers

        # a Graph, not a Network: the commands and scenes that take graphs ask isinstance(net, Graph)
        return parse_graph_spec(spec)  # type: ignore[return-value]
    _no_unknown(spec, TOP_FIELDS, "")

    name, description = name_and_description(spec, "network")

    field, raw_inputs = _examples(spec, "inputs", "input")
    if not isinstance(raw_inputs, list) or not raw_inputs:
        raise SpecError(field, "expected a non-empty list of examples")
    if len(raw_inputs) > MAX_EXAMPLES:
        raise SpecError(field, f"at most {MAX_EXAMPLES} examples, got {len(raw_inputs)}")
    first = raw_inputs[0]
    n_in = len(first) if isinstance(first, list) else None
    if n_in is not None and n_in > MAX_UNITS:
        raise SpecError(field, f"at most {MAX_UNITS} inputs per example, got {n_in}")
    X = _matrix(raw_inputs, "inputs" if field == "inputs" else "input", len(raw_inputs), n_in)

    layers_raw = spec.get("layers")
    if layers_raw is None:
        raise SpecError("layers", "missing (a list of layers)")
    if not isinstance(layers_raw, list) or not layers_raw:
        raise SpecError("layers", "expected a non-empty list of layers")
    if len(layers_raw) > MAX_LAYERS:
        raise SpecError("layers", f"at most {MAX_LAYERS} layers, got {len(layers_raw)}")

    seed = spec.get("seed", 0)
    seed = _int(seed, "seed", 0, 2**32 - 1)
    rng = np.random.default_rng(seed)

    layers = []
    fan_in = X.shape[1]
    n_params = 0
    for n, raw in enumerate(layers_raw):
        where = f"layers[{n}]"
        if not isinstance(raw, dict):
            raise SpecError(where, f"expected an object with units and activation, got {_kind(raw)}")
        _no_unknown(raw, LAYER_FIELDS, where)
        if "units" not in raw:
            raise SpecError(f"{where}.units", "missing (how many units this layer has)")
        units = _int(raw["units"], f"{where}.units", 1, MAX_UNITS)
        if "activation" not in raw:
            raise SpecError(f"{where}.activation", f"missing; expected one of {', '.join(ACTIVATIONS)}")
        activation = _choice(raw["activation"], f"{where}.activation", ACTIVATIONS)
        if not ACTIVATIONS[activation].elementwise and n != len(layers_raw) - 1:
            raise SpecError(f"{where}.activation", f"{activation} is only allowed on the last layer")
        n_params += units * (fan_in + 1)
        if n_params > MAX_PARAMS:
            raise SpecError(where, f"the network would have more than {MAX_PARAMS:,} parameters")
        if "weights" in raw:
            W = _matrix(raw["weights"], f"{where}.weights", units, fan_in)
        else:
            # each activation's standard choice: He for rectifiers, Glorot for the rest
            W = rng.normal(0.0, ACTIVATIONS[activation].init(fan_in, units), size=(units, fan_in))
        b = _vector(raw["bias"], f"{where}.bias", units) if "bias" in raw else np.zeros(units)
        residual = raw.get("residual", False)
        if not isinstance(residual, bool):
            raise SpecError(f"{where}.residual", f"expected true or false, got {_kind(residual)}")
        if residual and units != fan_in:
            raise SpecError(f"{where}.residual", f"a skip adds the layer's input to its output, so it needs "
                                                 f"as many units as inputs ({fan_in}), got {units}")
        if residual and not ACTIVATIONS[activation].elementwise:
            raise SpecError(f"{where}.residual", f"a {activation} layer's outputs are probabilities; "
                                                 "adding its input to them is not")
        layers.append(Layer(units, activation, W, b, residual))
        fan_in = units

    loss = _choice(spec.get("loss", DEFAULT_LOSS), "loss", LOSSES)
    rule = LOSSES[loss]
    last = layers[-1]
    needs = LOSSES[loss].fused_activation
    if needs and last.activation != needs:
        raise SpecError("loss", f"{loss} needs a {needs} output layer, got {last.activation}")
    if not ACTIVATIONS[last.activation].elementwise and rule.fused_activation != last.activation:
        fused = next(l.name for l in LOSSES.values() if l.fused_activation == last.activation)
        raise SpecError("loss", f"a {last.activation} output needs {fused}, got {loss}")
    if last.residual and rule.fused_activation is not None:
        raise SpecError(f"layers[{len(layers) - 1}].residual", f"{loss} needs the output layer's own activation, "
                                                               f"not the input added to it; use {DEFAULT_LOSS}")
    if rule.one_output and last.units != 1:
        raise SpecError("loss", f"{loss} needs one output unit, got {last.units}")

    tfield, raw_targets = _examples(spec, "targets", "target")
    tname = "targets" if tfield == "targets" else "target"
    if not isinstance(raw_targets, list) or len(raw_targets) != X.shape[0]:
        count = len(raw_targets) if isinstance(raw_targets, list) else _kind(raw_targets)
        raise SpecError(tname, f"expected one target per example ({X.shape[0]}), got {count}")
    T = _matrix(raw_targets, tname, X.shape[0], last.units)
    if rule.probabilities and ((T < 0).any() or (T > 1).any()):
        raise SpecError(tname, f"{loss} needs targets between 0 and 1")
    if rule.distribution and not np.allclose(T.sum(axis=1), 1.0, atol=1e-6):
        raise SpecError(tname, f"{loss} needs each target to sum to 1 (a one-hot or a distribution)")

    lr = _number(spec.get("learning_rate", 0.1), "learning_rate")
    if lr <= 0:
        raise SpecError("learning_rate", f"expected a positive number, got {lr:g}")

    net = Network(name=name, X=X, T=T, layers=layers, loss=loss, learning_rate=lr, description=description)
    if "frozen" in spec:
        from backprop.engine.frozen import frozen_masks  # it resolves names through params, which imports this

        net.frozen = frozen_masks(spec["frozen"], net)
    return net
