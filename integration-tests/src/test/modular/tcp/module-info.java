/** A user's program on jnet's TCP transport, run on the module path by ModulePathTest. */
module example.tcp {
    requires io.jnet.tcp;
}
