"""Stand-ins the render tests patch into a scene in place of its long construct."""


def tiny_construct(interrupt=None):
    """A stand-in for the long scene: one short animation, then optionally a failure mid-render."""
    from manim import Circle, Create

    def construct(self):
        self.play(Create(Circle()), run_time=0.3)
        if interrupt:
            raise interrupt
    return construct
