"""manim's config to play a scene without drawing (the scene tests' skip-animations runs)."""

import tempfile


# manim writes the SVGs of its texts under media_dir even in a dry run: keep them out of the checkout
SKIPPING = {"dry_run": True, "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none",
            "media_dir": tempfile.mkdtemp(prefix="backprop-tests-")}
