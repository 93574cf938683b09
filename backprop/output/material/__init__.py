"""Course material from a scene: slides, handouts, the render cache and player a notebook or Sphinx page
shows, and the HTML templates every page is written from."""
