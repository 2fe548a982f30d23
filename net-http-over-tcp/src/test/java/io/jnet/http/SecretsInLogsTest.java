package io.jnet.http;

import io.jnet.testkit.ScriptedHttpServer;
import io.jnet.testkit.ScriptedResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client prints (toString, exception messages) leaves credentials out; what it sends keeps them. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SecretsInLogsTest {

    @Test
    void requestToStringLeavesOutUserInfo() {
        HttpRequest r = HttpRequest.get("http://alice:s3cret@example.com:8080/path?q=1#frag");
        assertEquals("GET http://example.com:8080/path?q=1#frag", r.toString());
        assertEquals("alice:s3cret", r.uri().getUserInfo(), "the URI itself is unchanged");
    }

    @Test
    void requestToStringLeavesOutEncodedUserInfoAndAUserAlone() {
        assertEquals("GET http://example.com/", HttpRequest.get("http://tok%40en:p%3Aw@example.com/").toString());
        assertEquals("GET http://example.com/", HttpRequest.get("http://ghp_token@example.com/").toString());
        assertEquals("GET http://example.com/", HttpRequest.get("http://example.com/").toString());
    }

    @Test
    void requestToStringKeepsAnAtSignThatIsNoUserInfo() {
        assertEquals("GET http://example.com/a@b?c=d@e", HttpRequest.get("http://example.com/a@b?c=d@e").toString());
        assertEquals("GET http://example.com/x@y", HttpRequest.get("http://x@example.com/x@y").toString());
    }

    @Test
    void aFailedSendNamesTheRequestWithoutItsPassword() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.tcp().start(); HttpClient client = HttpClient.create()) {
            server.enqueue(ScriptedResponse.noResponse().then(ScriptedResponse.After.DESTROY));
            URI uri = URI.create("http://alice:s3cret@127.0.0.1:" + server.port() + "/private");
            HttpRequest request = HttpRequest.builder(uri).header("Authorization", "Bearer t0ken").build();
            HttpException e = assertThrows(HttpException.class, () -> client.send(request));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertFalse(trace.toString().contains("s3cret"), trace::toString);
            assertFalse(trace.toString().contains("t0ken"), trace::toString);
        }
    }
}
