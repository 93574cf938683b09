"""The visual vocabulary: boxes, edges, cards, badges, tables and the motions that show them."""
