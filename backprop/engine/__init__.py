"""numpy only: specs, forward and backward passes, the check, the timeline. Never imports manim."""
