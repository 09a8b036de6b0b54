package credit.exchange.routes.push;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The payloads of the push flows, inside sealed envelopes (docs/protocol.md, "Push flows"). A
 * delivery's message id is {@code <sending node>:outbox:<outbox id>}: unique per sender, the
 * same however often the delivery travels, so that receivers keep each once.
 *
 * <ul>
 *   <li>{@code pull}: {@code {"max": 500}}; answered by {@code {"messages": [Delivery...]}}</li>
 *   <li>{@code acknowledge}: {@code {"batch": <pull request's message id>, "messageIds": [...],
 *       "receipt": <base64 signed receipt of the batch's answer envelope>}}; answered by
 *       {@code {"acknowledged": n}}</li>
 *   <li>{@code publicity}: {@code {"messages": [Delivery...]}}; answered by
 *       {@code {"stored": n, "alreadyHeld": m}}</li>
 * </ul>
 * A Delivery is {@code {"messageId": ..., "deadline": "yyyy-mm-dd" (if any), "record": {...}}}.
 */
public final class PushMessages {

    private PushMessages() {
    }

    /** One record as it travels, its JSON as PostgreSQL rendered it ({@link credit.exchange.routes.store.RecordJoins#RECORD_JSON}). */
    public record Delivery(String messageId, LocalDate deadline, String category, String recordJson) {
    }

    public static String messageId(String node, long outboxId) {
        return node + ":outbox:" + outboxId;
    }

    /** Whether {@code messageId} is shaped as one of {@code node}'s outbox message ids. */
    public static boolean isOutboxMessageOf(String node, String messageId) {
        return messageId.startsWith(node + ":outbox:");
    }

    /** The outbox id in one of our own message ids, if it is one. */
    public static Optional<Long> outboxId(String self, String messageId) {
        String prefix = self + ":outbox:";
        if (messageId == null || !messageId.startsWith(prefix) || messageId.length() > prefix.length() + 19) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(messageId.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A batch of deliveries, written without re-parsing the records PostgreSQL rendered. */
    public static byte[] batch(List<Delivery> deliveries) {
        StringBuilder out = new StringBuilder(64 + deliveries.size() * 900).append("{\"messages\":[");
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            out.append(i == 0 ? "" : ",").append("{\"messageId\":\"").append(d.messageId()).append('"');
            if (d.deadline() != null) {
                out.append(",\"deadline\":\"").append(d.deadline()).append('"');
            }
            out.append(",\"record\":").append(d.recordJson()).append('}');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The deliveries of a batch another node sent us, each checked to carry a message id of that
     * node's outbox and a record with a category; anything else refuses the whole batch.
     */
    public static List<Delivery> readBatch(byte[] payload, String sender) {
        JsonNode messages = read(payload).path("messages");
        if (!messages.isArray()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the batch has no array 'messages'");
        }
        List<Delivery> out = new ArrayList<>(messages.size());
        for (JsonNode m : messages) {
            String id = m.path("messageId").asText(null);
            if (outboxId(sender, id).isEmpty()) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "message id '" + abbreviate(id)
                        + "' is not one of " + sender + "'s outbox (" + sender + ":outbox:<number>)");
            }
            JsonNode record = m.path("record");
            String category = record.path("category").asText("");
            if (!record.isObject() || category.isEmpty()) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "message " + id + " carries no record with a category");
            }
            LocalDate deadline;
            try {
                deadline = m.hasNonNull("deadline") ? LocalDate.parse(m.get("deadline").asText()) : null;
            } catch (java.time.format.DateTimeParseException e) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "message " + id + " has a deadline that is not a date");
            }
            out.add(new Delivery(id, deadline, category, record.toString()));
        }
        return out;
    }

    /** The most records a pull asks for. */
    public static byte[] pullRequest(int max) {
        return ("{\"max\":" + max + "}").getBytes(StandardCharsets.UTF_8);
    }

    public static int readPullRequest(byte[] payload) {
        JsonNode max = read(payload).path("max");
        if (!max.canConvertToInt() || max.asInt() < 1) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a pull names 'max', a positive whole number of records");
        }
        return max.asInt();
    }

    /** A puller's acknowledgement of (part of) a batch, with its signed receipt of the batch's envelope. */
    public record Acknowledgement(String batch, List<String> messageIds, String receipt) {
    }

    public static byte[] write(Object message) {
        try {
            return Json.mapper().writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Acknowledgement readAcknowledgement(byte[] payload) {
        Acknowledgement ack;
        try {
            // readers ignore fields they do not know (docs/protocol.md §10, "Schemas")
            ack = Json.mapper().readerFor(Acknowledgement.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(payload);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the acknowledgement is not {batch, messageIds, receipt}");
        }
        if (ack.batch() == null || ack.messageIds() == null || ack.messageIds().isEmpty() || ack.receipt() == null) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "an acknowledgement names its batch, its message ids and its receipt");
        }
        return ack;
    }

    static JsonNode read(byte[] payload) {
        try {
            return Json.mapper().readTree(payload);
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the payload is not JSON");
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
