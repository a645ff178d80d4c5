package io.keel.s3.http;

import io.keel.s3.address.Addressing;
import io.keel.s3.address.S3Address;
import io.keel.s3.auth.Authentication;
import io.keel.s3.auth.QueryParams;
import io.keel.s3.auth.SigV4Request;
import io.keel.s3.auth.SigV4Verifier;
import io.keel.s3.error.ErrorXml;
import io.keel.s3.error.RequestIds;
import io.keel.s3.error.S3ErrorCode;
import io.keel.s3.error.S3Exception;
import io.keel.s3.payload.Payloads;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-request pipeline, independent of the HTTP server: request id, addressing, SigV4,
 * payload wrapping, operation, authorisation, handler, and the S3 error document for any
 * failure. Every response carries {@code x-amz-request-id} and {@code x-amz-id-2}.
 */
public final class S3Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(S3Gateway.class);

    /** A request as the HTTP server received it: raw path and query, headers, body. */
    public record Incoming(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            InputStream body) {
        public Incoming {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            rawQuery = rawQuery == null ? "" : rawQuery;
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }
    }

    private final Addressing addressing;
    private final SigV4Verifier verifier;
    private final PrincipalLookup principals;
    private final RequestIds ids;
    private final S3Dispatcher dispatcher;
    private final S3Observer observer;

    public S3Gateway(Addressing addressing, SigV4Verifier verifier, PrincipalLookup principals, RequestIds ids,
            S3Dispatcher dispatcher) {
        this(addressing, verifier, principals, ids, dispatcher, S3Observer.NONE);
    }

    public S3Gateway(Addressing addressing, SigV4Verifier verifier, PrincipalLookup principals, RequestIds ids,
            S3Dispatcher dispatcher, S3Observer observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.addressing = Objects.requireNonNull(addressing, "addressing");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.principals = Objects.requireNonNull(principals, "principals");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    public S3Response handle(Incoming in) {
        long started = System.nanoTime();
        RequestIds.Ids id = ids.next();
        String resource = "/";
        String operation = "Unresolved";
        CountingInputStream counted = new CountingInputStream(in.body());
        in = new Incoming(in.method(), in.rawPath(), in.rawQuery(), in.headers(), counted);
        S3Response response;
        Optional<String> corsBucket = Optional.empty();
        Optional<String> origin = Optional.empty();
        try {
            SigV4Request wire = new SigV4Request(in.method(), in.rawPath(), in.rawQuery(), in.headers());
            S3Address address = addressing.resolve(wire.header("host").orElse(null), in.rawPath());
            resource = address.resource();
            if (dispatcher.servesSettings() && address.bucket().isPresent()) {
                corsBucket = address.bucket();
                origin = wire.header("origin").map(String::strip).filter(o -> !o.isEmpty());
            }
            if (corsBucket.isPresent() && in.method().equals("OPTIONS")) {
                // Browsers send preflights unsigned: they are answered from the bucket's CORS rules alone.
                operation = "PreflightRequest";
                corsBucket = Optional.empty();
                response = dispatcher.preflight(address.bucket().get(), wire);
            } else {
                QueryParams query = QueryParams.parse(in.rawQuery());
                Authentication auth = verifier.verify(wire);
                Optional<String> principal = switch (auth) {
                    case Authentication.Anonymous a -> Optional.empty();
                    case Authentication.Signed s -> Optional.of(principals.principalFor(s.accessKeyId())
                            .orElseThrow(() -> new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID)));
                };
                S3Operation op = OperationResolver.resolve(in.method(), address, query, wire,
                        dispatcher.servesSettings());
                operation = op.getClass().getSimpleName();
                InputStream body = Payloads.open(auth, wire, in.body());
                response = dispatcher.dispatch(op, new S3Request(in.method(), address, query, wire, principal, body));
            }
        } catch (S3Exception e) {
            response = error(e, List.of(), resource, id, in.method());
        } catch (S3Failure f) {
            response = error(f.error(), f.headers(), resource, id, in.method());
        } catch (RuntimeException | java.io.IOException e) {
            LOG.warn("S3 request {} {} failed (request id {})", in.method(), in.rawPath(), id.requestId(), e);
            response = error(new S3Exception(S3ErrorCode.INTERNAL_ERROR), List.of(), resource, id, in.method());
        }
        List<S3Response.Header> headers = new ArrayList<>(response.headers().size() + 2);
        headers.add(new S3Response.Header("x-amz-request-id", id.requestId()));
        headers.add(new S3Response.Header("x-amz-id-2", id.hostId()));
        headers.addAll(response.headers());
        if (corsBucket.isPresent() && origin.isPresent()) {
            headers.addAll(dispatcher.corsHeaders(corsBucket.get(), in.method(), origin.get()));
        }
        long out = switch (response.body()) {
            case S3Response.Empty e -> 0;
            case S3Response.Xml x -> x.bytes().length;
            case S3Response.Json j -> j.bytes().length;
            case S3Response.Stream st -> st.length();
        };
        observer.completed(operation, response.status(), counted.count(), out, System.nanoTime() - started);
        return new S3Response(response.status(), headers, response.body());
    }

    private static S3Response error(S3Exception e, List<S3Response.Header> extra, String resource, RequestIds.Ids id,
            String method) {
        S3Response.Builder b = S3Response.status(e.httpStatus());
        extra.forEach(h -> b.header(h.name(), h.value()));
        if (method.equals("HEAD")) {
            // HEAD responses have no body; clients learn the code from the status alone.
            return b.empty(0);
        }
        byte[] xml = ErrorXml.render(e, resource, id.requestId(), id.hostId()).getBytes(StandardCharsets.UTF_8);
        return b.xml(xml);
    }

}
