package io.jnet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Net#isIP} answers as Node's {@code net.isIP} does: a fixed table of Node's answers, and Node itself when installed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IsIPTest {

    /** Node v20's answers, from {@code node -e "console.log(require('net').isIP(s))"}. */
    @ParameterizedTest(name = "isIP(\"{0}\") == {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', emptyValue = "", value = {
            "1.2.3.4|4", "0.0.0.0|4", "255.255.255.255|4",
            "01.2.3.4|0", "1.02.3.4|0", "1.2.3.04|0", "0.0.0.00|0", "00.0.0.0|0",
            "999.1.1.1|0", "256.1.1.1|0", "1234|0", "1.2.3|0", "1.2.3.4.|0", "0x1.2.3.4|0", "1.2.3.-1|0",
            "1e0.2.3.4|0", "١.2.3.4|0", "\" 1.2.3.4\"|0", "\"1.2.3.4 \"|0", "1.2.3.4%eth0|0", "localhost|0", "\"\"|0",
            "::1|6", "::|6", "1::|6", "::ffff:1.2.3.4|6", "::1.2.3.4|6", "FE80::A|6", "a:b:c:d:e:f:0:1|6",
            "0:0:0:0:0:0:0:0|6", "1:2:3:4:5:6:7:8|6", "::1:2:3:4:5:6:7|6", "1:2:3:4:5:6:7::|6", "1:2:3:4:5:6::7|6",
            "1:2:3:4:5:6:1.2.3.4|6", "::0001|6",
            "fe80::1%eth0|6", "fe80::1%25eth0|6", "::1%1|6", "1:2:3:4:5:6:7:8%lo|6", "fe80::1%eth0:1|6",
            "[::1]|0", "[::1]:80|0", "1:2:3:4:5:6:7:8:9|0", "::1:2:3:4:5:6:7:8|0", "1::2::3|0", "::ffff:1.2.3|0",
            "::ffff:01.2.3.4|0", "::ffff:255.255.255.256|0", "1:2:3:4:5:6:7:1.2.3.4|0", "12345::|0", "::00001|0", "g::1|0",
            "fe80::1%|0", "fe80::1%eth0%1|0", "\"fe80::1% x\"|0", ":::|0", ":1::|0", "1::2:|0", "1:::2|0",
    })
    void answersAsNodeDoes(String input, int expected) {
        assertEquals(expected, Net.isIP(input), input);
        assertEquals(expected == 4, Net.isIPv4(input), input);
        assertEquals(expected == 6, Net.isIPv6(input), input);
    }

    @Test
    void nullIsNoAddress() {
        assertEquals(0, Net.isIP(null));
        assertFalse(Net.isIPv4(null));
        assertFalse(Net.isIPv6(null));
    }

    /**
     * Thousands of near-literals (random strings over the characters literals are made of, and mutations
     * of real literals), each asked of Node and of {@link Net#isIP}: any disagreement is printed.
     */
    @Test
    void agreesWithNodeOnRandomNearLiterals() throws Exception {
        assumeTrue(nodeRuns(), "node is not installed");
        List<String> inputs = nearLiterals(new Random(15), 20_000);
        List<Integer> node = askNode(inputs);
        // Meaningful only if both kinds of literal are among them (seed 15: 369 IPv4, 2 454 IPv6, 17 177 neither).
        assertTrue(node.stream().filter(v -> v == 4).count() > 100 && node.stream().filter(v -> v == 6).count() > 100,
                "too few literals among the inputs");
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int ours = Net.isIP(inputs.get(i));
            if (ours != node.get(i)) {
                disagreements.add("\"" + inputs.get(i) + "\": node " + node.get(i) + ", jnet " + ours);
            }
        }
        assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements, first: "
                + disagreements.subList(0, Math.min(20, disagreements.size())));
    }

    private static List<String> nearLiterals(Random random, int count) {
        String[] seeds = {"1.2.3.4", "255.255.255.255", "::1", "::", "::ffff:10.0.0.1", "fe80::1%eth0", "1:2:3:4:5:6:7:8",
                "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:1.2.3.4", "0.0.0.0", "a:b::c:d"};
        String alphabet = "0123456789abcdefABCDEFg:.%-z ";
        List<String> out = new ArrayList<>(count);
        while (out.size() < count) {
            StringBuilder s;
            if (random.nextBoolean()) {
                s = new StringBuilder(seeds[random.nextInt(seeds.length)]);
                for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                    int at = random.nextInt(s.length() + 1);
                    switch (random.nextInt(3)) {
                        case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                        default -> { if (at < s.length()) s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length()))); }
                    }
                }
            } else {
                s = new StringBuilder();
                String small = "0123456789af:.";
                for (int n = random.nextInt(24); n > 0; n--) {
                    s.append(small.charAt(random.nextInt(small.length())));
                }
            }
            out.add(s.toString());
        }
        return out;
    }

    /** One input per line in, one answer per line out. */
    private static List<Integer> askNode(List<String> inputs) throws IOException, InterruptedException {
        String script = "const net=require('net');let buf='';process.stdin.setEncoding('utf8');"
                + "process.stdin.on('data',d=>buf+=d);process.stdin.on('end',()=>{"
                + "const lines=buf.split('\\n');lines.pop();process.stdout.write(lines.map(l=>net.isIP(l)).join('\\n')+'\\n');});";
        Process p = new ProcessBuilder("node", "-e", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                for (String s : inputs) {
                    w.write(s);
                    w.write('\n');
                }
            }
            List<Integer> answers = new ArrayList<>(inputs.size());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    answers.add(Integer.parseInt(line));
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node did not finish");
            assertEquals(inputs.size(), answers.size(), "node answered a different number of lines");
            return answers;
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
