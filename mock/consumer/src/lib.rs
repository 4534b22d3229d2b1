//! A consumer's integration with paygen, tested against paygen-mock from
//! outside paygen's workspace (see `tests/`).
