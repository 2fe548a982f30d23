package io.jnet;

/**
 * Node's {@code net.isIP} rules, by hand and without a lookup: an IPv4 literal is four dotted decimal
 * octets 0-255 with no leading zero ({@code 01.2.3.4} is refused, as are the shorthand forms
 * {@code 1234} and {@code 1.2.3} that {@code inet_aton} would take); an IPv6 literal is eight groups
 * of one to four hex digits, at most one {@code ::} standing for at least one group, an IPv4 literal
 * allowed as the last two groups, and an optional zone after {@code %} made of letters, digits,
 * {@code -}, {@code .} and {@code :}. No brackets, no whitespace. Nothing here ever does DNS, so it
 * is safe on a loop thread.
 */
final class IpLiterals {
    private IpLiterals() {
    }

    /** 4, 6, or 0 when {@code s} is neither literal (null included). */
    static int version(String s) {
        if (s == null) {
            return 0;
        }
        if (isV4(s, 0, s.length())) {
            return 4;
        }
        return isV6(s) ? 6 : 0;
    }

    /** Whether {@code s[from, to)} is a dotted-quad IPv4 literal. */
    static boolean isV4(String s, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (octets == 4) {
                return i == to;
            }
            if (i >= to || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    private static boolean isV6(String s) {
        int end = s.indexOf('%');
        if (end >= 0 && !isZone(s, end + 1)) {
            return false;
        }
        if (end < 0) {
            end = s.length();
        }
        int groups = 0;
        boolean elided = false;
        int i = 0;
        if (end >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            elided = true;
            i = 2;
            if (i == end) {
                return true; // "::"
            }
        }
        while (true) {
            int start = i;
            while (i < end && i - start < 5 && isHex(s.charAt(i))) {
                i++;
            }
            if (i < end && s.charAt(i) == '.') {
                // An IPv4 literal takes the place of the last two groups.
                if (!isV4(s, start, end)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (elided) {
                    return false; // a second "::"
                }
                elided = true;
                i++;
                if (i == end) {
                    break; // "...::" at the end
                }
            } else if (i == end) {
                return false; // a single trailing ':'
            }
        }
        // "::" stands for at least one group.
        return elided ? groups <= 7 : groups == 8;
    }

    private static boolean isZone(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
