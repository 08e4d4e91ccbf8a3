fn main() {
    // `sentinel --version` names the commit it was built from.
    godconfig_buildinfo::emit_commit();
}
