"""Backprop on any computational graph: a program of scalar assignments instead of layers.

`program` reads the spec's program (Python's `ast` on a whitelist, never eval); `ops` holds one
record per operation (the activations are `backprop.engine.operations`' own records); `passes` runs
forward and backward; `timeline` explains the backward walk in the layers' event kinds; `check` and
`training` are the finite-difference check and gradient descent over the graph's parameters.
"""
