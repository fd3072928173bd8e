//! Console pages of surface (filled in by their author).
