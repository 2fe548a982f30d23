package io.jnet.http;

/** RFC 9110 character classes, as lookup tables so the parser pays one array read per byte. */
final class Tokens {
    /** tchar: the characters of a method or a field name (RFC 9110 §5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {
    }

    static boolean isTchar(int b) {
        return TCHAR[b & 0xff];
    }

    /**
     * Whether a byte may appear in a field value: VCHAR, obs-text, SP and HTAB. Everything else is a
     * control character (CR, LF and NUL among them) that could split or smuggle a header.
     */
    static boolean isFieldValueByte(int b) {
        int u = b & 0xff;
        return u >= 0x20 && u != 0x7f || u == '\t';
    }

    /** Null if {@code name} is a valid token, else why not. */
    static String checkToken(String what, String name) {
        if (name.isEmpty()) {
            return what + " must not be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0xff || !TCHAR[c]) {
                return "invalid character " + describe(c) + " in " + what + " \"" + escape(name) + "\" at index " + i;
            }
        }
        return null;
    }

    /** Null if {@code value} is a valid field value, else why not. */
    static String checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff || !isFieldValueByte(c)) {
                return "invalid character " + describe(c) + " in value of header " + name + " at index " + i;
            }
        }
        return null;
    }

    static String describe(int c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }

    /** Makes control characters visible, for quoting bad input in a message. */
    static String escape(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
