//! Console pages of admin (filled in by their author).
