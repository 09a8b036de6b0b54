package credit.exchange.security.audit;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One audit event as an action writes it: who did what, with which outcome, and the fields that
 * say to whom and why; typed where the trail's readers filter and count (actor kind, action,
 * decision, outcome). Its chained, hashed form is {@link AuditRecord}, which the audit store makes
 * of it when it gives the event its place in the chain.
 *
 * <pre>{@code
 * AuditEvent.by(ActorKind.OPERATOR, operator, Action.PURGE).outcome(Outcome.PURGED).detail("…").build()
 * }</pre>
 */
public final class AuditEvent {

    /** Who acts: a caller of the node's doors, the node itself (as a party to an exchange, or its scheduled work), or the inbox folder. */
    public enum ActorKind {
        /** The node's operator (the CLI on the node's host, or the node acting on its operator's configuration). */
        OPERATOR,
        /** A client of the HTTP API that presented no valid credentials. */
        ANONYMOUS,
        /** A partner node. */
        PARTNER,
        /** A person signed in at the realm. */
        PERSON,
        /** A platform acting with the realm's client credentials. */
        PLATFORM,
        /** A metrics scraper. */
        SCRAPER,
        /** This node, starting an exchange with a partner. */
        NODE,
        /** Files dropped into the node's inbox folder. */
        INBOX,
        /** The node's own scheduled work: a watch, a publication's expiry. */
        SYSTEM;

        /** The actor kind of a caller of the access policy. */
        public static ActorKind of(Caller.Kind kind) {
            return valueOf(kind.name());
        }
    }

    /** What was done; its wire name is the trail's {@code action} column (docs/operations.md, "Audit trail"). */
    public enum Action {
        ACCESS("access"), DOOR("door"), LOGIN("login"),
        EXCHANGE_IN("exchange.in"), EXCHANGE_OUT("exchange.out"),
        IMPORT("import"), IDENTIFIER_MAPPING("id.map"), CONFIG("config"), KEY("key"), AUTHORISATION("authorisation"),
        EXPORT("export"), PURGE("purge"),
        LIST("list"), REPAIR("repair"), OBJECTION("objection"), NOTICE_OUT("notice.out"), NOTICE_IN("notice.in"),
        OUTBOX_REPLAY("outbox.replay"), DELIVERY_DEAD("delivery.dead"), PULL("pull"), CONFORMANCE("conformance"),
        /** A credit report (信用报告) issued: who asked, for which purpose, the classes it shows. */
        REPORT("report");

        private final String wireName;

        Action(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** An access decision. */
    public enum Decision {
        ALLOW, DENY
    }

    /**
     * How an action ended. A failure with a stable code is written as its {@link ErrorCode} instead
     * ({@link Builder#outcome(ErrorCode)}), so that the trail holds the same code as the answer.
     */
    public enum Outcome {
        // exchanges, pulls, conformance runs
        ANSWERED, REFUSED, PULLED, CONFORMS, FAILED,
        // administrative actions
        COMPLETED, IN_FORCE, CREATED, LOADED, REGISTERED, REVOKED, WRITTEN, PURGED, REPLAYED, STORED,
        // alliance workflows: list entries, repairs, objections, notices issued
        RECORDED, REPAIRED, WITHDRAWN, EXPIRED, OPEN, UPHELD, REJECTED, ISSUED,
        // this node's answer to a partner's notice (the answer's status)
        ACCEPTED, PENDING, CONFIRMED, FLAGGED, CLEARED, RECOGNISED, DECLINED, LIFTED, ACKNOWLEDGED;

        /** The outcome named by a status word, in any case. IllegalArgumentException for a word that names none. */
        public static Outcome named(String status) {
            return valueOf(status.strip().toUpperCase(Locale.ROOT));
        }
    }

    private final AuditRecord record;

    private AuditEvent(AuditRecord record) {
        this.record = record;
    }

    /** An event of this actor doing this action. */
    public static Builder by(ActorKind kind, String actor, Action action) {
        return new Builder(kind, actor, action);
    }

    /** An event of an access-policy caller doing this action. */
    public static Builder by(Caller caller, Action action) {
        return new Builder(ActorKind.of(caller.kind()), caller.name(), action);
    }

    /** When it happened; empty when the database's clock is to say (an event written pending, in the action's transaction). */
    public java.util.Optional<Instant> at() {
        return java.util.Optional.ofNullable(record.at());
    }

    /**
     * The event as the chain covers it, not yet in the chain (position 0, no node: the store gives
     * it both), at its own time or now.
     */
    public AuditRecord record() {
        return record.at() != null ? record : new AuditRecord(0, Instant.now(), record.node(), record.actorKind(), record.actor(),
                record.partner(), record.action(), record.subjectKey(), record.classification(), record.dataset(), record.purpose(),
                record.authorisationId(), record.decision(), record.reason(), record.messageIds(), record.outcome(), record.latencyMs(),
                record.detail(), record.decisions());
    }

    /** The event's fields, named: what the pending write stores (its time may be missing). */
    public AuditRecord fields() {
        return record;
    }

    /** Builds an event: the actor and the action are given, every other field is optional. */
    public static final class Builder {
        private final ActorKind kind;
        private final String actor;
        private final Action action;
        private Instant at;
        private String partner;
        private String subjectKey;
        private String classification;
        private String dataset;
        private String purpose;
        private String authorisationId;
        private Decision decision;
        private String reason;
        private List<String> messageIds = List.of();
        private String outcome;
        private Integer latencyMs;
        private String detail;
        private List<AuditRecord.DatasetDecision> decisions = List.of();

        private Builder(ActorKind kind, String actor, Action action) {
            this.kind = Objects.requireNonNull(kind, "actor kind");
            this.actor = Objects.requireNonNull(actor, "actor");
            this.action = Objects.requireNonNull(action, "action");
        }

        /** When it happened (default: now, or the database's time for an event written pending). */
        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** The partner node the action concerns. */
        public Builder partner(String partner) {
            this.partner = partner;
            return this;
        }

        /** The subject, pseudonymised ({@code U:}USCC, or {@code P:} and a keyed hash). */
        public Builder subject(String subjectKey) {
            this.subjectKey = subjectKey;
            return this;
        }

        /** The class of the data (A, B, C by name). */
        public Builder classification(String classification) {
            this.classification = classification;
            return this;
        }

        public Builder dataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        /** The subject's authorisation the action rests on or concerns. */
        public Builder authorisation(String authorisationId) {
            this.authorisationId = authorisationId;
            return this;
        }

        public Builder decision(Decision decision) {
            this.decision = decision;
            return this;
        }

        /** Why: a refusal's code, the disclosure granted, a role. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** A refusal's code as the reason. */
        public Builder reason(ErrorCode code) {
            return reason(code == null ? null : code.name());
        }

        /** The exchanged messages' ids. */
        public Builder messageIds(List<String> messageIds) {
            this.messageIds = messageIds == null ? List.of() : List.copyOf(messageIds);
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = outcome == null ? null : outcome.name();
            return this;
        }

        /** A failure's stable code as the outcome. */
        public Builder outcome(ErrorCode failure) {
            this.outcome = failure == null ? null : failure.name();
            return this;
        }

        /** How long the action took, in milliseconds (capped at Integer.MAX_VALUE). */
        public Builder latency(Duration took) {
            this.latencyMs = took == null ? null : (int) Math.min(Integer.MAX_VALUE, took.toMillis());
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /**
         * A query's access decisions, one per dataset asked (form 2 of the canonical bytes). They
         * make the event's own decision: DENY if any of them is, with the first refusal's code as
         * its reason (what the trail's search and denial counts read), ALLOW otherwise.
         */
        public Builder decisions(List<AuditRecord.DatasetDecision> decisions) {
            this.decisions = List.copyOf(decisions);
            return this;
        }

        public AuditEvent build() {
            if (!decisions.isEmpty()) {
                var refused = decisions.stream().filter(d -> !d.allowed()).findFirst();
                decision = refused.isPresent() ? Decision.DENY : Decision.ALLOW;
                reason = refused.map(AuditRecord.DatasetDecision::reason).orElse(null);
            }
            return new AuditEvent(new AuditRecord(0, at, null, kind.name(), actor, partner, action.wireName(), subjectKey, classification,
                    dataset, purpose, authorisationId, decision == null ? null : decision.name(), reason, messageIds, outcome, latencyMs,
                    detail, decisions));
        }
    }
}
