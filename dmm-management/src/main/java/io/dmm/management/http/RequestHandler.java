package io.dmm.management.http;

import java.net.InetSocketAddress;

/** What the server asks of the API for one request, in two steps so that a refused body is never read. */
interface RequestHandler {
    /** Before the body is read: the refusal (401, 404, 405...), or null to read the body and {@link #handle}. */
    HttpResponse admit(HttpRequestHead head);

    /** Answers an admitted request; {@code client} is the peer's address. */
    HttpResponse handle(HttpRequestHead head, byte[] body, InetSocketAddress client);
}
