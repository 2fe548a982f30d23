package io.jnet.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void keepsOrderAndCaseAndLooksUpIgnoringCase() {
        HttpHeaders h = HttpHeaders.of("Set-Cookie", "a=1", "Content-Type", "text/plain", "set-cookie", "b=2");
        assertEquals(3, h.size());
        assertEquals("set-cookie", h.name(2));
        assertEquals(List.of("a=1", "b=2"), h.all("SET-COOKIE"));
        assertEquals(Optional.of("text/plain"), h.first("content-type"));
        assertEquals(Set.of("Set-Cookie", "Content-Type"), h.names());
        assertEquals(List.of(), h.all("missing"));
        assertFalse(h.contains("missing"));
    }

    @Test
    void findsTokensInCommaSeparatedValues() {
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, Upgrade");
        assertTrue(h.containsToken("connection", "upgrade"));
        assertFalse(h.containsToken("connection", "close"));
    }

    @Test
    void setReplacesEveryFieldOfTheName() {
        HttpHeaders h = HttpHeaders.of("A", "1", "a", "2", "B", "3").toBuilder().set("A", "9").build();
        assertEquals(List.of("9"), h.all("a"));
        assertEquals("B", h.name(0));
    }

    @Test
    void toStringRedactsCredentialsAndCookiesWhateverTheirCase() {
        HttpHeaders h = HttpHeaders.of("Authorization", "Bearer s3cret-token", "proxy-authorization", "Basic dXNlcjpwdw==",
                "COOKIE", "session=abc123", "Set-Cookie", "id=xyz789; HttpOnly", "Content-Type", "text/plain");
        String s = h.toString();
        for (String secret : List.of("s3cret-token", "dXNlcjpwdw==", "abc123", "xyz789")) {
            assertFalse(s.contains(secret), () -> secret + " printed in " + s);
        }
        assertEquals("Authorization: [redacted]\nproxy-authorization: [redacted]\nCOOKIE: [redacted]\n"
                + "Set-Cookie: [redacted]\nContent-Type: text/plain\n", s);
        assertEquals(Optional.of("Bearer s3cret-token"), h.first("authorization"), "only the printout is redacted");
    }
}
