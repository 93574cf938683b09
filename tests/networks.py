"""Small networks several test modules play, as specs."""

DEEP_RELU = {"name": "deep-relu", "inputs": [[0.5, 0.8]], "targets": [[1.0]], "loss": "mse",
             "layers": [{"units": 2, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": [0.1, -0.1]},
                        {"units": 2, "activation": "relu", "weights": [[0.6, -0.4], [-0.5, 0.2]], "bias": [0.1, 0.0]},
                        {"units": 1, "activation": "sigmoid", "weights": [[0.7, 0.8]], "bias": [0.2]}]}


TANH_CHAIN = {"name": "tanh-skips", "inputs": [[0.4]], "targets": [[1.0]], "loss": "mse", "learning_rate": 0.1,
              "layers": [{"units": 1, "activation": "tanh", "weights": [[w]], "bias": [0.05], "residual": True}
                         for w in (0.8, -0.5, 1.2, 0.7)] + [{"units": 1, "activation": "linear"}], "seed": 2}


BATCH = {"name": "batch", "inputs": [[0.5, 0.8], [1.0, -0.5], [-0.3, 0.2]], "targets": [[1.0], [0.0], [1.0]],
         "layers": [{"units": 2, "activation": "relu", "weights": [[0.4, 0.3], [-0.2, 0.5]], "bias": [0.1, -0.1]},
                    {"units": 1, "activation": "sigmoid", "weights": [[0.6, -0.4]], "bias": [0.2]}],
         "loss": "mse"}


SIGMOID_222 = {"name": "two-two-two", "inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]],
               "layers": [{"units": 2, "activation": "sigmoid", "weights": [[0.15, 0.20], [0.25, 0.30]], "bias": [0.35, 0.35]},
                          {"units": 2, "activation": "sigmoid", "weights": [[0.40, 0.45], [0.50, 0.55]], "bias": [0.60, 0.60]}],
               "loss": "mse"}

# 3-4-4-3 (tanh, tanh, linear): too dense for every weight on its edge at 16:9, so some numbers are
# left out and said to be in the table (tests/scenes/test_overlaps.py, test_aspects.py)
DENSE_3443 = {"inputs": [[0.5, -0.3, 0.8]], "targets": [[0.2, -0.4, 0.6]], "seed": 3, "loss": "mse",
              "layers": [{"units": 4, "activation": "tanh"}, {"units": 4, "activation": "tanh"},
                         {"units": 3, "activation": "linear"}]}
