/** A user's program on jnet's HTTP client, run on the module path by ModulePathTest. */
module example.http {
    requires io.jnet.http;
}
