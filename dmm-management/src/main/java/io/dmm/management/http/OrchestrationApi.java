package io.dmm.management.http;

import io.dmm.api.DmmConfigException;
import io.dmm.api.DmmControl;
import io.dmm.api.StackStats;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's resources, each a view of {@link DmmControl}:
 *
 * <pre>
 * GET  /v1/policy                  the running policy's status (version, origin, last change)
 * PUT  /v1/policy                  replace the whole policy (body: policy JSON); 422 with the located error
 * POST /v1/policy/reload           read the policy file again
 * GET  /v1/stacks                  every stack instance with its counters, health and admin state
 * GET  /v1/stacks/NAME             one of them
 * POST /v1/stacks/NAME/drain       no new sockets to it (open ones keep working)
 * POST /v1/stacks/NAME/undrain     new sockets again
 * GET  /v1/rules                   every rule with its hits (index -1: the default route)
 * GET  /v1/sockets                 the socket table
 * GET  /v1/stats                   stacks and rules in one document
 * GET  /metrics                    the counters in Prometheus text format 0.0.4
 * </pre>
 *
 * Every request must carry {@code Authorization: Bearer TOKEN}; that is checked before anything
 * else, so a client without the token learns nothing, not even which paths exist.
 */
final class OrchestrationApi implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestrationApi.class);

    private final DmmControl control;
    private final Supplier<BearerToken> token;

    /** {@code token}: the token in force now (it changes with the policy), null to refuse everyone. */
    OrchestrationApi(DmmControl control, Supplier<BearerToken> token) {
        this.control = control;
        this.token = token;
    }

    /** A request path resolved to a resource ({@code stack} for the per-stack ones) and the methods it allows. */
    private record Target(String resource, String stack, List<String> methods) {
    }

    @Override
    public HttpResponse admit(HttpRequestHead head) {
        BearerToken t = token.get();
        String authorization = head.header("authorization");
        if (t == null || !t.admits(authorization)) {
            // RFC 6750 3: no credentials -> just the challenge; wrong ones -> error="invalid_token"
            String challenge = authorization == null ? "Bearer realm=\"dmm\""
                    : "Bearer realm=\"dmm\", error=\"invalid_token\"";
            return HttpResponse.error(401, "this endpoint requires Authorization: Bearer <token from the policy's"
                    + " management.http.tokenFile>").withHeader("WWW-Authenticate", challenge);
        }
        Target target;
        try {
            target = resolve(head.path());
        } catch (HttpProblem p) {
            return HttpResponse.error(p.status(), p.getMessage());
        }
        if (target == null) {
            return HttpResponse.error(404, "no such resource: " + head.path());
        }
        if (!target.methods().contains(head.method())) {
            return HttpResponse.error(405, head.method() + " is not allowed on " + head.path() + "; allowed: "
                    + String.join(", ", target.methods())).withHeader("Allow", String.join(", ", target.methods()));
        }
        return null;
    }

    @Override
    public HttpResponse handle(HttpRequestHead head, byte[] body, InetSocketAddress client) {
        Target target;
        try {
            target = resolve(head.path());
        } catch (HttpProblem p) {
            return HttpResponse.error(p.status(), p.getMessage());
        }
        try {
            return switch (head.method() + " " + target.resource()) {
                case "GET policy" -> json(200, JsonViews.status(control.policy()));
                case "PUT policy" -> push(body, client);
                case "POST reload" -> reload();
                case "GET stacks" -> json(200, JsonViews.stacks(control.stats()));
                case "GET stack" -> stack(target.stack());
                case "POST drain" -> drain(target.stack(), true);
                case "POST undrain" -> drain(target.stack(), false);
                case "GET rules" -> json(200, JsonViews.rules(control.stats()));
                case "GET sockets" -> json(200, JsonViews.sockets(control.sockets()));
                case "GET stats" -> json(200, JsonViews.stats(control.stats()));
                case "GET metrics" -> HttpResponse.of(200, PrometheusText.CONTENT_TYPE,
                        DmmMetrics.render(control.policy(), control.stats()));
                default -> throw new IllegalStateException("admitted but not handled: " + head.method() + " "
                        + head.path());
            };
        } catch (RuntimeException e) {
            LOG.warn("HTTP endpoint: {} {} failed", head.method(), head.path(), e);
            return HttpResponse.error(500, e.toString());
        }
    }

    private HttpResponse push(byte[] body, InetSocketAddress client) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return HttpResponse.error(400, "the policy must be UTF-8 JSON");
        }
        // the origin names the text in error messages; it has no '/' so that no directory is derived
        // from it: relative file names in a pushed policy resolve against the JVM's working directory
        String origin = "http push from " + client.getAddress().getHostAddress();
        try {
            return json(200, JsonViews.status(control.apply(text, origin)));
        } catch (DmmConfigException e) {
            return HttpResponse.of(422, HttpResponse.JSON, JsonViews.configError(422, e));
        } catch (RuntimeException e) {
            // rejected after validation (a stack that cannot start, an endpoint that cannot bind...):
            // the runtime has recorded and logged it; the running version stays
            return HttpResponse.error(422, message(e));
        }
    }

    private HttpResponse reload() {
        try {
            return json(200, JsonViews.status(control.reload()));
        } catch (DmmConfigException e) {
            return HttpResponse.of(422, HttpResponse.JSON, JsonViews.configError(422, e));
        } catch (IllegalStateException e) {
            return HttpResponse.error(409, message(e));
        } catch (RuntimeException e) {
            return HttpResponse.error(422, message(e));
        }
    }

    private HttpResponse stack(String name) {
        Optional<StackStats> s = control.stats().stack(name);
        return s.isPresent() ? json(200, JsonViews.stack(s.get())) : unknownStack(name);
    }

    private HttpResponse drain(String name, boolean drain) {
        try {
            if (drain) {
                control.drain(name);
            } else {
                control.undrain(name);
            }
        } catch (IllegalArgumentException e) {
            return HttpResponse.error(404, message(e));
        }
        return stack(name);
    }

    private HttpResponse unknownStack(String name) {
        return HttpResponse.error(404, "unknown stack \"" + name + "\"");
    }

    private static HttpResponse json(int status, byte[] body) {
        return HttpResponse.of(status, HttpResponse.JSON, body);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The resource a path names, or null. */
    private static Target resolve(String path) throws HttpProblem {
        List<String> s = segments(path);
        if (s.size() == 1 && s.get(0).equals("metrics")) {
            return new Target("metrics", null, List.of("GET"));
        }
        if (s.size() < 2 || !s.get(0).equals("v1")) {
            return null;
        }
        String first = s.get(1);
        return switch (s.size()) {
            case 2 -> switch (first) {
                case "policy" -> new Target("policy", null, List.of("GET", "PUT"));
                case "stacks", "rules", "sockets", "stats" -> new Target(first, null, List.of("GET"));
                default -> null;
            };
            case 3 -> first.equals("policy") && s.get(2).equals("reload") ? new Target("reload", null, List.of("POST"))
                    : first.equals("stacks") ? new Target("stack", s.get(2), List.of("GET")) : null;
            case 4 -> first.equals("stacks") && (s.get(3).equals("drain") || s.get(3).equals("undrain"))
                    ? new Target(s.get(3), s.get(2), List.of("POST")) : null;
            default -> null;
        };
    }

    /** The path's segments, percent-decoded one by one (so {@code %2F} stays inside its segment). */
    static List<String> segments(String path) throws HttpProblem {
        List<String> out = new ArrayList<>();
        for (String raw : path.substring(1).split("/", -1)) {
            out.add(percentDecode(raw));
        }
        return out;
    }

    private static String percentDecode(String s) throws HttpProblem {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= s.length()) {
                throw new HttpProblem(400, "bad percent-encoding in the path");
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new HttpProblem(400, "bad percent-encoding in the path");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new HttpProblem(400, "the path is not UTF-8");
        }
    }
}
