package io.dmm.management.http;

import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of one request.
 *
 * @param method  as sent (methods are case-sensitive)
 * @param target  the request target as sent ({@code /v1/stacks/k1?x=y})
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers by lower-case name; repeated headers joined with {@code ", "}
 */
record HttpRequestHead(String method, String target, String version, Map<String, String> headers) {
    HttpRequestHead {
        headers = Map.copyOf(headers);
    }

    /** The target without its query, still percent-encoded. */
    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The declared body length, 0 when there is none. */
    long contentLength() throws HttpProblem {
        if (header("transfer-encoding") != null) {
            // chunked bodies are not needed by any client of this API (curl, HttpClient and
            // Prometheus all send Content-Length); refusing them keeps the body limit simple
            throw new HttpProblem(411, "send the body with a Content-Length header; Transfer-Encoding is not"
                    + " supported");
        }
        String v = header("content-length");
        if (v == null) {
            return 0;
        }
        // a repeated header arrives joined: "10, 10" is tolerated only if all values agree
        long length = -1;
        for (String part : v.split(",")) {
            String p = part.strip();
            if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(Character::isDigit)) {
                throw new HttpProblem(400, "bad Content-Length: " + v);
            }
            long n = Long.parseLong(p);
            if (length >= 0 && n != length) {
                throw new HttpProblem(400, "conflicting Content-Length values: " + v);
            }
            length = n;
        }
        return length;
    }

    /** The client waits for {@code 100 Continue} before sending the body (curl does for large bodies). */
    boolean expectsContinue() {
        String v = header("expect");
        return v != null && v.strip().equalsIgnoreCase("100-continue");
    }
}
