"""Networks a lecturer can name instead of writing a spec. `seed` is the lesson's worked example."""

from backprop.language import N_

# An exercise network's activations (`backprop exercises`): hidden layers, then the output layer.
EXERCISE_ACTIVATIONS = ("relu", "sigmoid")

PRESETS: dict[str, dict] = {
    "seed": {
        "name": "seed",
        "description": N_("the lesson's worked example: 2 → 2 ReLU → 1 sigmoid, MSE, t = 1.0"),
        "inputs": [[0.5, 0.8]],
        "targets": [[1.0]],
        "layers": [
            {"units": 2, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": [0.1, -0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.6, -0.4]], "bias": [0.2]},
        ],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "branching": {
        "name": "branching",
        "description": N_("two outputs: each hidden unit's gradient is the sum of one contribution per output"),
        "inputs": [[0.5, 0.8]],
        "targets": [[1.0, 0.0]],
        "layers": [
            {"units": 2, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": [0.1, -0.1]},
            {"units": 2, "activation": "sigmoid", "weights": [[0.6, -0.4], [0.3, 0.7]], "bias": [0.2, -0.1]},
        ],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "deep-sigmoid": {
        "name": "deep-sigmoid",
        "description": N_("a chain of six sigmoid units: each σ′ ≤ 0.25, so the gradient shrinks layer by layer"),
        "inputs": [[1.0]],
        "targets": [[0.0]],
        "layers": [
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
        ],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "deep-dead": {
        "name": "deep-dead",
        "description": N_("a ReLU layer with one dead unit (z = −0.50) under three sigmoid layers: the gradient "
                       "shrinks ~5× per sigmoid layer, and the dead unit passes nothing back"),
        "inputs": [[1.0]],
        "targets": [[0.0]],
        "layers": [
            # z = [0.8 × 1.0 + 0.1, −0.6 × 1.0 + 0.1] = [0.90, −0.50]: h₂ is dead (ReLU′ = 0)
            {"units": 2, "activation": "relu", "weights": [[0.8], [-0.6]], "bias": [0.1, 0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9, 0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]},
        ],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "classifier": {
        "name": "classifier",
        "description": N_("3 classes: 2 → 3 tanh → 3 softmax with cross-entropy, true class 2"),
        "inputs": [[0.5, -0.3]],
        "targets": [[0.0, 1.0, 0.0]],
        "layers": [
            {"units": 3, "activation": "tanh",
             "weights": [[0.5, -0.6], [0.8, 0.2], [-0.3, 0.9]], "bias": [0.0, 0.1, -0.1]},
            {"units": 3, "activation": "softmax",
             "weights": [[0.7, -0.5, 0.2], [-0.4, 0.6, 0.3], [0.1, 0.2, -0.8]], "bias": [0.0, 0.0, 0.0]},
        ],
        "loss": "cross_entropy",
        "learning_rate": 0.1,
    },
    "batch": {
        "name": "batch",
        "description": N_("the lesson's network on a batch of 3: the batch gradient is the mean of 3 examples' gradients"),
        "inputs": [[0.5, 0.8], [1.0, 0.2], [0.3, 0.9]],
        "targets": [[1.0], [0.0], [1.0]],
        "layers": [
            {"units": 2, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": [0.1, -0.1]},
            {"units": 1, "activation": "sigmoid", "weights": [[0.6, -0.4]], "bias": [0.2]},
        ],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "deep-residual": {
        "name": "deep-residual",
        "description": N_("deep-sigmoid with a skip around each hidden layer: the +1 path keeps the gradient's size"),
        "inputs": [[1.0]],
        "targets": [[0.0]],
        "layers": [{"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1], "residual": True}
                   for _ in range(5)]
                  + [{"units": 1, "activation": "sigmoid", "weights": [[0.9]], "bias": [0.1]}],
        "loss": "mse",
        "learning_rate": 0.1,
    },
    "exploding": {
        "name": "exploding",
        "description": N_("a chain of six linear units, w = 1.6: each step back multiplies the gradient by 1.6"),
        "inputs": [[0.5]],
        "targets": [[1.0]],
        "layers": [{"units": 1, "activation": "linear", "weights": [[1.6]], "bias": [0.0]} for _ in range(6)],
        "loss": "mse",
        "learning_rate": 0.1,
    },
}
