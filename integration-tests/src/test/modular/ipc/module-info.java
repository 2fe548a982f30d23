/** A user's program on jnet's IPC transport, run on the module path by ModulePathTest. */
module example.ipc {
    requires io.jnet.ipc;
}
