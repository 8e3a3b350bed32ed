//! Flow tests: see the submodules.
