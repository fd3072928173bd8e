//! Console pages of rules (filled in by their author).
