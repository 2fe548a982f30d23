package io.jnet.tcp;

import java.io.OutputStream;
import java.net.InetAddress;

/** Run in a child JVM: connects to the given port and writes until killed. */
public final class ChildFirehose {
    private ChildFirehose() {
    }

    public static void main(String[] args) throws Exception {
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]))) {
            OutputStream out = s.getOutputStream();
            byte[] block = new byte[64 * 1024];
            System.out.println("connected");
            System.out.flush();
            // Bounded: a parent that forgets to kill us still sees us stop after 4 GiB.
            for (int i = 0; i < 65_536; i++) {
                out.write(block);
            }
        }
    }
}
