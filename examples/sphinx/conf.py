# A tiny Sphinx site with the lesson's scenes in it: sphinx-build -b html examples/sphinx /tmp/site
project = "Backpropagation"
extensions = ["backprop.sphinx"]
exclude_patterns = ["_build"]
