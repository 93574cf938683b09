"""The story told without manim: beats and captions, number formatting, layout geometry, the theme."""
