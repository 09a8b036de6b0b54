package credit.exchange.routes.api;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.CodedException;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.DoorPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The check at every HTTP door of the node, before its route does anything: who is calling
 * ({@link Authenticator}), and whether {@link DoorPolicy} lets them in by this route. A refusal is
 * an answer with its code (401 to sign in, 403 for a missing role or a route without a rule) and
 * an audit event naming the caller and the door; an admitted caller travels on with the exchange,
 * so the route's own decisions use the same one. Every {@link ApiRouteBuilder} route that consumes
 * from HTTP passes here first.
 */
public final class Doorkeeper implements Processor {

    /** Registry name under which the node binds its doorkeeper; without one, every door is closed. */
    public static final String REGISTRY_NAME = "doorkeeper";
    /** What the class names of Camel's server endpoints contain: HTTP, REST and SOAP servers. */
    private static final String[] SERVERS = {"http", "rest", "cxf", "undertow", "jetty", "netty", "servlet", "websocket"};

    private final Authenticator authenticator;
    private final Consumer<AuditEvent> refusals;
    private final Clock clock;

    /**
     * @param refusals where refusals go as audit events (the node's audit writer, not waited for:
     *        a refusal costs the caller no database round trip)
     */
    public Doorkeeper(Authenticator authenticator, Consumer<AuditEvent> refusals, Clock clock) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.clock = clock;
    }

    /** Whether requests come in by this endpoint from outside the node: any HTTP, REST or SOAP server Camel offers. */
    public static boolean isDoor(Endpoint endpoint) {
        if (endpoint == null) {
            return false;
        }
        String component = endpoint.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        for (String server : SERVERS) {
            if (component.contains(server)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void process(Exchange exchange) {
        String route = exchange.getFromRouteId();
        Optional<DoorPolicy.Door> door = DoorPolicy.door(route);
        if (door.isPresent() && door.get().admits() == DoorPolicy.Admits.PARTNER) {
            return; // the port's mutual TLS and the envelope's signer decide (InboundExchange)
        }
        Caller caller;
        try {
            caller = authenticator.caller(exchange);
        } catch (CodedException unproven) {
            refused(exchange, route, Caller.Kind.ANONYMOUS, "unverified bearer token", unproven);
            throw unproven;
        }
        if (DoorPolicy.admit(route, caller) instanceof AccessDecision.Deny deny) {
            CodedException refusal = new CodedException(deny.code(), switch (deny.code()) {
                case E_TOKEN_MISSING -> "sign in: " + describe(door) + " needs a bearer token with " + door.orElseThrow().admits().needs();
                case E_DOOR_CLOSED -> "this endpoint has no access rule on this node";
                default -> describe(door) + " needs " + door.orElseThrow().admits().needs() + ", which " + caller.name()
                        + " does not hold; ask the realm's administrator";
            });
            refused(exchange, route, caller.kind(), caller.name(), refusal);
            throw refusal;
        }
    }

    private static String describe(Optional<DoorPolicy.Door> door) {
        return door.map(d -> d.method() + " " + d.path()).orElse("this endpoint");
    }

    private void refused(Exchange exchange, String route, Caller.Kind actorKind, String actor, CodedException refusal) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class);
        refusals.accept(AuditEvent.by(AuditEvent.ActorKind.of(actorKind), actor, AuditEvent.Action.DOOR).at(clock.instant())
                .decision(AuditEvent.Decision.DENY).reason(refusal.code())
                .detail(method + " " + (route == null ? "unknown route" : route)).build());
    }
}
