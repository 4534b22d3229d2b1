//! Generates the AcmePay client from `specs/` at build time.

fn main() {
    paygen_codegen::build::generate("specs");
}
