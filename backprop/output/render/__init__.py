"""Rendering: one scene (or the lecture) to files, its captions, voice and progress, written atomically."""
