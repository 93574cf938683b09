"""The numpy engine: spec → forward → backward → timeline. Never imports manim."""
