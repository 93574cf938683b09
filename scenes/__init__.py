"""Scenes play a Timeline with manim. This package's __init__ imports nothing heavy: the CLI lives here too."""
