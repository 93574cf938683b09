"""Subtitle cues a viewer can read (issue 9), checked from scratch: shared by the narration, scene and
render tests."""

SHORTEST, LONGEST, LINE = 1.5, 7.0, 42


def assert_readable(cues):
    """cues: (start s, end s, text) in file order. The rules of issue 9, checked from scratch."""
    for k, (start, end, text) in enumerate(cues):
        assert SHORTEST - 1e-9 <= end - start <= LONGEST + 1e-9, (start, end, text)
        lines = text.split("\n")
        assert 1 <= len(lines) <= 2 and all(0 < len(line) <= LINE for line in lines), text
        if k:
            assert cues[k - 1][2] != text, text
            assert cues[k - 1][1] <= start, (cues[k - 1], start)
