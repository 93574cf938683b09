"""backprop-manim: lecture videos of backpropagation from real numbers.

The layers, each importing only the ones above it:

- `backprop.engine`: numpy only. Specs, forward, backward, the finite-difference check, the timeline.
- `backprop.story`: no manim. Beats and captions, number formatting, layout geometry, the theme.
- `backprop.stage`: the visual vocabulary in manim: boxes, edges, cards, badges, tables, motion.
- `backprop.scenes`: one file per scene, each a LessonScene that plays the timeline.
- `backprop.output`: the command line (`cli`), a course (`course`), course material (`material`), and
  rendering to files, written atomically (`render`).
"""
