package credit.exchange.routes.push;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.model.CreditRecord;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.model.SubjectKind;
import credit.exchange.routes.query.ReceivedRecord;
import credit.exchange.routes.query.ReceivedRecordSource;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The received deliveries (received_delivery) as records a local query shows: per sender and
 * document, the latest version received, unless its sender withdrew it (信用修复), it is
 * repaired or withdrawn, or its publication has ended (a sender's value that is no date is taken
 * as none, so that one partner's odd record cannot fail the province's queries); under objection while an objection to it
 * is open (异议处理). Each comes with its source: the sender, the delivery's message id, the
 * envelope that carried it and the receipt this node signed for that envelope.
 */
public final class ReceivedRecords implements ReceivedRecordSource {

    private static final String SERVED = """
            with latest as (
                select distinct on (d.sender, d.category, d.record ->> 'sourceDepartment', d.record ->> 'documentNumber')
                       d.sender, d.message_id, d.batch_id, d.received_at, d.record
                from received_delivery d
                where d.record -> 'subject' ->> 'uscc' = ? and d.category = any (?)
                order by d.sender, d.category, d.record ->> 'sourceDepartment', d.record ->> 'documentNumber',
                         case when d.record ->> 'version' ~ '^[0-9]{1,9}$' then (d.record ->> 'version')::int end desc nulls last,
                         d.received_at desc)
            select l.sender, l.message_id, l.batch_id, l.received_at, l.record::text, b.receipt,
                   exists (select 1 from objected_message o where o.sender = l.sender and o.message_id = l.message_id)
            from latest l left join received_batch b on b.sender = l.sender and b.batch_id = l.batch_id
            where not exists (select 1 from withdrawn_message w where w.sender = l.sender and w.message_id = l.message_id)
              and coalesce(l.record ->> 'status', 'ACTIVE') not in ('REPAIRED', 'WITHDRAWN')
              and case when l.record ->> 'publicationEnd' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                       then (l.record ->> 'publicationEnd')::date >= current_date else true end
            """;
    private static final String PAGE = SERVED + """
            order by l.record ->> 'decisionDate' desc nulls last, l.sender, l.message_id
            limit ? offset ?""";
    private static final String COUNT = "select count(*) from (" + SERVED + ") q";

    @Override
    public List<ReceivedRecord> byUscc(Connection c, String uscc, Set<String> datasets, long offset, int limit) {
        if (datasets.isEmpty() || limit < 1) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(PAGE)) {
            ps.setString(1, uscc);
            ps.setArray(2, c.createArrayOf("text", datasets.toArray()));
            ps.setInt(3, limit);
            ps.setLong(4, offset);
            List<ReceivedRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CreditRecord record = record(rs.getString(5), rs.getTimestamp(4).toInstant(), rs.getBoolean(7));
                    out.add(new ReceivedRecord(record, new ReceivedRecord.Source(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), ReceivedDeliveries.base64(rs.getBytes(6)))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received records cannot be read; retry later", e);
        }
    }

    @Override
    public long count(Connection c, String uscc, Set<String> datasets) {
        if (datasets.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, uscc);
            ps.setArray(2, c.createArrayOf("text", datasets.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the received records cannot be read; retry later", e);
        }
    }

    /** A record as its sender rendered it (RecordJoins.RECORD_JSON); it has no id here. */
    static CreditRecord record(String json, java.time.Instant receivedAt, boolean underObjection) {
        JsonNode r;
        try {
            r = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a received record is not JSON", e);
        }
        JsonNode subject = r.path("subject");
        Map<String, String> attributes = new LinkedHashMap<>();
        r.path("attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        RecordStatus status = underObjection ? RecordStatus.UNDER_OBJECTION : enumOr(RecordStatus.class, text(r, "status"), RecordStatus.ACTIVE);
        return new CreditRecord(0, text(r, "category"), enumOr(Classification.class, text(r, "classification"), Classification.C),
                enumOr(SubjectKind.class, text(subject, "kind"), SubjectKind.LEGAL_PERSON), text(subject, "uscc"),
                text(subject, "personIdMasked"), text(r, "partyName"), text(r, "sourceDepartment"), text(r, "documentNumber"),
                r.path("version").asInt(1), date(r, "decisionDate"), date(r, "validFrom"), date(r, "validUntil"),
                date(r, "publicationEnd"), status, text(r, "authority"), text(r, "authorityCode"), text(r, "content"), null,
                attributes, receivedAt);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static LocalDate date(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return v == null ? null : LocalDate.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E enumOr(Class<E> type, String name, E fallback) {
        try {
            return name == null ? fallback : Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
