//! What `crate_info!()`'s expansion names: the record of the experiment
//! crate's own compilation, and the macros that capture its `Cargo.lock`
//! and git state while it is compiled.

pub use crate::build_info::{BuildCargo, CargoLock, CompiledWith};
pub use crate::git::build::BuildGit;
pub use crate::git::patch::BuildPatch;
pub use ith_provenance_git::{GitSearchStart, PathStatus};
pub use ith_provenance_macros::{__build_cargo, __build_git, __cargo_lock};

use crate::CrateInfo;

/// `info` with what only the crate's own compilation knows.
pub fn compiled_with(info: CrateInfo, compiled: CompiledWith) -> CrateInfo {
    info.compiled_with(compiled)
}
