"""Key frames of why-backwards, gradient-check and confusions against control data (manim's
frames_comparison, 854×480). After a deliberate visual change: render, look at the stills, then
`pytest tests/scenes/test_frames_why.py --set_test`."""

from manim.utils.testing.frames_comparison import frames_comparison

from backprop.engine.spec import load_network
from backprop.scenes.confusions import Confusions
from backprop.scenes.gradient_check import GradientCheck
from backprop.scenes.why_backwards import WhyBackwards

__module_test__ = "why"


class SeedWhyBackwards(WhyBackwards):
    def __init__(self, **kwargs):
        super().__init__(network=load_network("seed"), **kwargs)


class ClassifierGradientCheck(GradientCheck):
    def __init__(self, **kwargs):
        super().__init__(network=load_network("classifier"), **kwargs)


class SeedConfusions(Confusions):
    def __init__(self, **kwargs):
        super().__init__(network=load_network("seed"), **kwargs)


@frames_comparison(base_scene=SeedWhyBackwards)
def test_why_backwards_grown_table(scene):
    WhyBackwards.construct(scene)


@frames_comparison(base_scene=ClassifierGradientCheck)
def test_gradient_check_verdict(scene):
    GradientCheck.construct(scene)


@frames_comparison(base_scene=SeedConfusions)
def test_confusions_multiply_not_add(scene):
    """The second confusion answered: the product of W₁[1,2]'s path is its gradient, the sum is not."""
    scene.prepare()
    scene.clear = lambda *mobjects: None  # stay on the answer
    scene.multiply()
