package io.jnet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket inode to a description ({@code " tcp 127.0.0.1:41234 -> 127.0.0.1:39781 CLOSE_WAIT"}) from
 * {@code /proc/net}, so that a leaked descriptor in a {@link JnetLeakCheck} failure says which connection it is.
 */
final class SocketTable {
    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private SocketTable() {
    }

    static Map<String, String> read() {
        Map<String, String> byInode = new HashMap<>();
        readTcp(Path.of("/proc/net/tcp"), "tcp", byInode);
        readTcp(Path.of("/proc/net/tcp6"), "tcp6", byInode);
        for (String line : lines(Path.of("/proc/net/unix"))) {
            // Num RefCount Protocol Flags Type St Inode [Path]
            String[] f = line.trim().split("\\s+");
            if (f.length >= 7 && f[6].matches("\\d+")) {
                byInode.put(f[6], " unix " + (f.length >= 8 ? f[7] : "(unnamed)"));
            }
        }
        return byInode;
    }

    private static void readTcp(Path table, String kind, Map<String, String> byInode) {
        for (String line : lines(table)) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            String[] f = line.trim().split("\\s+");
            if (f.length >= 10 && f[9].matches("\\d+")) {
                int st = Integer.parseInt(f[3], 16);
                byInode.put(f[9], " " + kind + " " + address(f[1]) + " -> " + address(f[2]) + " "
                        + (st < TCP_STATES.length ? TCP_STATES[st] : f[3]));
            }
        }
    }

    /** {@code 0100007F:A0F2} to {@code 127.0.0.1:41202}; IPv6 as {@code [::1]:port} (IPv4-mapped shown as IPv4). */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String a = parts[0];
        if (a.length() == 32 && a.startsWith("0000000000000000FFFF0000")) {
            a = a.substring(24);
        }
        if (a.length() == 8) {
            return v4(a) + ":" + port;
        }
        // Four 32-bit words, each in the host's (little-endian) byte order.
        byte[] bytes = new byte[16];
        for (int w = 0; w < 4; w++) {
            long word = Long.parseLong(a.substring(w * 8, w * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                bytes[w * 4 + b] = (byte) (word >> (8 * b));
            }
        }
        try {
            return "[" + java.net.InetAddress.getByAddress(bytes).getHostAddress() + "]:" + port;
        } catch (java.net.UnknownHostException impossible) {
            return "[" + a + "]:" + port;
        }
    }

    private static String v4(String hex) {
        long a = Long.parseLong(hex, 16);
        return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff);
    }

    private static List<String> lines(Path p) {
        try {
            List<String> all = Files.readAllLines(p);
            return all.isEmpty() ? all : all.subList(1, all.size());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
