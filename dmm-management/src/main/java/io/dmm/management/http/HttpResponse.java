package io.dmm.management.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete response: status, body and extra headers. Every response closes the connection
 * ({@code Connection: close}): one request per connection keeps the server free of idle-connection
 * bookkeeping, and its clients (scripts, orchestrators, a scraper every few seconds) do not need more.
 */
record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";

    HttpResponse {
        headers = Map.copyOf(headers);
    }

    static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, body, Map.of());
    }

    /** {@code {"status": 404, "error": "..."}}. */
    static HttpResponse error(int status, String message) {
        return of(status, JSON, JsonViews.error(status, message));
    }

    HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, contentType, body, h);
    }

    /** Status line, headers and body, ready to write. */
    byte[] encode() {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        sb.append("Content-Type: ").append(contentType).append("\r\n");
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        sb.append("Cache-Control: no-store\r\n");
        sb.append("X-Content-Type-Options: nosniff\r\n");
        sb.append("Connection: close\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 422 -> "Unprocessable Content";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
