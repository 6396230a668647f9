package io.dmm.management.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request line and headers (RFC 9112) with hard limits: {@value #MAX_HEAD_BYTES} bytes for
 * the whole head and {@value #MAX_HEADERS} header lines. Anything malformed is refused rather than
 * guessed at: this server only talks to scripts, orchestrators and scrapers.
 */
final class HttpRequestParser {
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 100;

    private final InputStream in;
    private int consumed;

    private HttpRequestParser(InputStream in) {
        this.in = in;
    }

    /**
     * Reads one request head from {@code in}.
     *
     * @return null when the client closed the connection before sending anything
     */
    static HttpRequestHead read(InputStream in) throws IOException, HttpProblem {
        return new HttpRequestParser(in).head();
    }

    private HttpRequestHead head() throws IOException, HttpProblem {
        String requestLine = line(true);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(true); // RFC 9112 2.2: ignore empty lines before the request line
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
            throw new HttpProblem(400, "malformed request line");
        }
        String version = parts[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new HttpProblem(505, "only HTTP/1.1 and HTTP/1.0 are served");
        }
        if (parts[1].charAt(0) != '/') {
            throw new HttpProblem(400, "the request target must be a path starting with /");
        }
        for (int i = 0; i < parts[1].length(); i++) {
            char c = parts[1].charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpProblem(400, "the request target must be percent-encoded ASCII");
            }
        }
        Map<String, String> headers = new HashMap<>();
        int count = 0;
        for (String h = line(false); !h.isEmpty(); h = line(false)) {
            if (++count > MAX_HEADERS) {
                throw new HttpProblem(431, "more than " + MAX_HEADERS + " header lines");
            }
            if (h.charAt(0) == ' ' || h.charAt(0) == '\t') {
                throw new HttpProblem(400, "folded header lines are not accepted");
            }
            int colon = h.indexOf(':');
            if (colon <= 0 || !isToken(h.substring(0, colon))) {
                throw new HttpProblem(400, "malformed header line");
            }
            String name = h.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpRequestHead(parts[0], parts[1], version, headers);
    }

    /** One line without its CRLF (a bare LF is accepted); null at end of input before any byte if allowed. */
    private String line(boolean endAllowed) throws IOException, HttpProblem {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && sb.isEmpty() && consumed == 0) {
                    return null;
                }
                throw new HttpProblem(400, "the connection ended inside the request head");
            }
            if (++consumed > MAX_HEAD_BYTES) {
                throw new HttpProblem(431, "request head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (b == 0) {
                throw new HttpProblem(400, "NUL byte in the request head");
            }
            // ISO-8859-1, as RFC 9112 says header bytes are to be read; values this API uses are ASCII
            sb.append((char) (b & 0xff));
        }
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
