package credit.exchange.routes.delivery;

/**
 * Named points in the partner deliveries where the fault tests take the node down as kill -9 would:
 * with the system property {@code gateway.fault.halt-at} set to a point's name, the JVM halts
 * there at once (no shutdown hooks, nothing flushed or closed); set to {@code <point>:<KIND>}, only
 * where a delivery of that kind reaches it. Unset, as in every real deployment, a point costs one
 * comparison. docs/RELIABILITY.md lists the points.
 */
public enum CrashPoint {
    /** Records and their deliveries are committed; the relay has taken the deliveries and sent no trigger yet. */
    RELAY_BEFORE_SEND("relay-before-send"),
    /** The relay has handed triggers to the broker and not yet committed their deliveries as QUEUED. */
    RELAY_AFTER_SEND("relay-after-send"),
    /** A delivery has been answered by the partner and its DELIVERED state is not yet committed. */
    DELIVERY_BEFORE_COMMIT("delivery-before-commit"),
    /** A puller has stored a pulled batch and not yet acknowledged it. */
    PULLER_BEFORE_ACKNOWLEDGE("puller-before-acknowledge");

    private static final String ARMED = System.getProperty("gateway.fault.halt-at", "");

    private final String propertyValue;

    CrashPoint(String propertyValue) {
        this.propertyValue = propertyValue;
    }

    public String propertyValue() {
        return propertyValue;
    }

    /** Halts the JVM here if this point is armed. */
    public void reach() {
        if (ARMED.equals(propertyValue)) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Halts the JVM here if this point is armed, for any kind or for {@code kind}. */
    public void reach(DeliveryKind kind) {
        if (ARMED.equals(propertyValue) || ARMED.equals(armedFor(kind))) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** The property's value that arms this point for deliveries of {@code kind} only. */
    public String armedFor(DeliveryKind kind) {
        return propertyValue + ":" + kind.name();
    }
}
