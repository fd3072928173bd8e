//! Console pages of channels (filled in by their author).
