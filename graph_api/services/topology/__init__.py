"""The topology index: INPUT/OUTPUT adjacency in memory, kept fresh from the delta log."""
