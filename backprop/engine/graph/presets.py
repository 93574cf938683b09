"""Graphs a lecturer can name: the field's published examples and the lesson's network as a graph."""

from backprop.language import N_

GRAPH_PRESETS: dict[str, dict] = {
    "micrograd": {
        "name": "micrograd",
        "description": N_("Karpathy's micrograd example L = (a·b + c)·f: ∂L/∂a = 6, ∂L/∂b = −4"),
        "graph": {"values": {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0},
                  "program": "e = a * b\nd = e + c\nL = d * f",
                  "output": "L", "params": ["a", "b", "c", "f"]},
        "learning_rate": 0.01,
    },
    "neuron": {
        "name": "neuron",
        "description": N_("Karpathy's tanh neuron o = tanh(x₁w₁ + x₂w₂ + b): ∂o/∂n = 0.5, ∂o/∂w₁ = 1"),
        "graph": {"values": {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432},
                  "program": "x1w1 = x1 * w1\nx2w2 = x2 * w2\nx1w1x2w2 = x1w1 + x2w2\nn = x1w1x2w2 + b\no = tanh(n)",
                  "output": "o", "params": ["w1", "w2", "b"]},
    },
    "fan-out": {
        "name": "fan-out",
        "description": N_("a and b each used twice: their gradients are sums, ∂f/∂a = 3 + (−6) = −3"),
        "graph": {"values": {"a": -2.0, "b": 3.0},
                  "program": "d = a * b\ne = a + b\nf = d * e",
                  "output": "f", "params": ["a", "b"]},
    },
    "lesson-graph": {
        "name": "lesson-graph",
        "description": N_("the lesson's network (seed) written as a graph: the same nine gradients"),
        "graph": {"values": {"x1": 0.5, "x2": 0.8, "w11": 0.4, "w12": 0.3, "w21": -0.2, "w22": 0.5,
                             "b11": 0.1, "b12": -0.1, "v1": 0.6, "v2": -0.4, "b2": 0.2, "t": 1.0},
                  "program": "z11 = w11 * x1 + w12 * x2 + b11\nh1 = relu(z11)\n"
                             "z12 = w21 * x1 + w22 * x2 + b12\nh2 = relu(z12)\n"
                             "z2 = v1 * h1 + v2 * h2 + b2\ny = sigmoid(z2)\nL = 0.5 * (y - t) ** 2",
                  "output": "L", "params": ["w11", "w12", "w21", "w22", "b11", "b12", "v1", "v2", "b2"]},
    },
}
