# A tiny Sphinx site with the lesson's scenes in it: sphinx-build -b html examples/sphinx /tmp/site
# (myst_parser reads notes/myst.md, the directive as a Jupyter Book page writes it).
project = "Backpropagation"
extensions = ["backprop.sphinx", "myst_parser"]
exclude_patterns = ["_build"]
