//! The paygen generator (see issue: specs to generated clients).
