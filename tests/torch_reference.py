"""PyTorch as the oracle (the test extra): a spec's network as torch modules and training steps with
torch's optimizers, written from the spec (parse_spec only reads the drawn weights)."""

import numpy as np
import pytest

from backprop.engine.spec import parse_spec

torch = pytest.importorskip("torch")

TORCH_ACT = {"linear": lambda z: z, "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


def torch_model(spec):
    """The spec's network as torch tensors: (parameters W1, b1, …, loss of the parameters)."""
    net = parse_spec(spec)  # only to read the drawn initial weights
    params = []
    for layer in net.layers:
        params += [torch.tensor(layer.W, dtype=torch.float64, requires_grad=True),
                   torch.tensor(layer.b, dtype=torch.float64, requires_grad=True)]
    X = torch.tensor(np.array(spec["inputs"], float), dtype=torch.float64)
    T = torch.tensor(np.array(spec["targets"], float), dtype=torch.float64)

    def loss():
        a = X
        for n, layer in enumerate(spec["layers"]):
            f = TORCH_ACT[layer["activation"]](a @ params[2 * n].T + params[2 * n + 1])
            a = a + f if layer.get("residual") else f
        return (0.5 * ((a - T) ** 2).sum(dim=1)).mean()

    return params, loss


def torch_training(spec, steps, optimizer, clip):
    params, loss = torch_model(spec)
    lr = spec.get("learning_rate", 0.1)
    opt = {"sgd": lambda: torch.optim.SGD(params, lr=lr),
           "momentum": lambda: torch.optim.SGD(params, lr=lr, momentum=0.9),
           "adam": lambda: torch.optim.Adam(params, lr=lr)}[optimizer]()
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        value = loss()
        losses.append(value.item())
        value.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
    losses.append(loss().item())
    return losses, [p.detach().numpy() for p in params]


def torch_hidden_grads(spec):
    """|∂L/∂h| of each hidden layer's output, by autograd (retain_grad on every h)."""
    net = parse_spec(spec)
    a = torch.tensor(net.X, dtype=torch.float64, requires_grad=True)
    hs = []
    for layer, raw in zip(net.layers, spec["layers"]):
        W, b = torch.tensor(layer.W, dtype=torch.float64), torch.tensor(layer.b, dtype=torch.float64)
        f = TORCH_ACT[raw["activation"]](a @ W.T + b)
        a = a + f if raw.get("residual") else f
        a.retain_grad()
        hs.append(a)
    T = torch.tensor(net.T, dtype=torch.float64)
    (0.5 * ((a - T) ** 2).sum(dim=1)).mean().backward()
    return [float(h.grad.abs().mean()) for h in hs[:-1]]
