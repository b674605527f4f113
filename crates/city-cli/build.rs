//! Build script: records the git commit for `city --version`.

#[path = "../../build/commit.rs"]
mod commit;

fn main() {
    commit::emit();
}
