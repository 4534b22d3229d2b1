//! Workspace tests for paygen live in `tests/`; this library is empty.
