"""docs/spec.md's examples are real specs: both describe the lesson's network."""

import json
import re
import tomllib
from pathlib import Path

import numpy as np

from backprop.engine.backward import backward
from backprop.engine.spec import load_network, parse_spec

DOC = (Path(__file__).resolve().parents[2] / "docs" / "spec.md").read_text()


def test_the_spec_examples_are_the_lessons_network():
    lesson = backward(load_network("seed")).grads
    for lang, parse in (("json", json.loads), ("toml", tomllib.loads)):
        block = re.search(rf"```{lang}\n(.*?)```", DOC, re.S).group(1)
        grads = backward(parse_spec(parse(block))).grads
        for name in lesson:
            assert np.array_equal(grads[name], lesson[name]), (lang, name)
